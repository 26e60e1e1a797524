// Stands in for next/image when @imagekit/next is bundled for a plain page (no Next.js runtime here). Only
// @imagekit/next's <Image> component would call it; the test uses its upload() and buildSrc() exports.
export default function NextImage() {
  throw new Error("next/image is not available outside Next.js");
}
