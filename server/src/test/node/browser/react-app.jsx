// ImageKit's React quick start (imagekitio-react 4: IKContext + IKUpload + IKImage), unchanged except that its
// settings come from the test. The page adds the imagekit-redirect.js script tag; nothing else knows of Upfront.
import React, { useState } from "react";
import { createRoot } from "react-dom/client";
import { IKContext, IKImage, IKUpload } from "imagekitio-react";
import { config, describeError, finish } from "./report.js";

const publicKey = config.publicKey;
const urlEndpoint = config.urlEndpoint;
const authenticator = async () => {
  try {
    const response = await fetch("/auth");
    if (!response.ok) {
      const errorText = await response.text();
      throw new Error(`Request failed with status ${response.status}: ${errorText}`);
    }
    const data = await response.json();
    const { signature, expire, token } = data;
    return { signature, expire, token };
  } catch (error) {
    throw new Error(`Authentication request failed: ${error.message}`);
  }
};

function App() {
  const [uploaded, setUploaded] = useState(null);
  const [progress] = useState([]);
  const onError = (err) => finish({ error: describeError(err), progress });
  const onSuccess = (res) => setUploaded(res);
  const onLoad = (e) => finish({
    response: uploaded, progress,
    preview: { src: e.target.currentSrc, naturalWidth: e.target.naturalWidth, naturalHeight: e.target.naturalHeight },
  });
  return (
    <div className="App">
      <h1>ImageKit React quick start</h1>
      <IKContext publicKey={publicKey} urlEndpoint={urlEndpoint} authenticator={authenticator}>
        <p>Upload an image</p>
        <IKUpload fileName="react-upload.jpg" folder={config.folder} useUniqueFileName={false}
                  onError={onError} onSuccess={onSuccess}
                  onUploadProgress={(e) => progress.push({ loaded: e.loaded, total: e.total })} />
        {uploaded && <IKImage path={uploaded.filePath} transformation={[{ width: 100 }]} onLoad={onLoad} onError={onError} />}
      </IKContext>
    </div>
  );
}

createRoot(document.getElementById("root")).render(<App />);
