// ImageKit's Vue example (imagekitio-vue 3: IKContext + IKUpload + IKImage), written with render functions so the
// bundle needs no template compiler. The page adds the imagekit-redirect.js script tag; nothing else knows of Upfront.
import { createApp, h, ref } from "vue";
import { IKContext, IKImage, IKUpload } from "imagekitio-vue";
import { config, describeError, finish } from "./report.js";
import { authenticator } from "./quickstart-auth.js";

const App = {
  setup() {
    const uploaded = ref(null);
    const progress = [];
    const onError = (err) => finish({ error: describeError(err), progress });
    const onSuccess = (res) => { uploaded.value = res; };
    const onLoad = (e) => finish({
      response: uploaded.value, progress,
      preview: { src: e.target.currentSrc, naturalWidth: e.target.naturalWidth, naturalHeight: e.target.naturalHeight },
    });
    return () => h("div", { class: "App" }, [
      h("h1", "ImageKit Vue quick start"),
      h(IKContext, { publicKey: config.publicKey, urlEndpoint: config.urlEndpoint, authenticator }, () => [
        h("p", "Upload an image"),
        h(IKUpload, {
          fileName: "vue-upload.jpg", folder: config.folder, useUniqueFileName: false,
          onError, onSuccess, onUploadProgress: (e) => progress.push({ loaded: e.loaded, total: e.total }),
        }),
        uploaded.value
          ? h(IKImage, { path: uploaded.value.filePath, transformation: [{ width: 100 }], onLoad, onError })
          : null,
      ]),
    ]);
  },
};

createApp(App).mount("#root");
