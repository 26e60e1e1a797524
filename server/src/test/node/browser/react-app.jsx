// ImageKit's React quick start (imagekitio-react 4: IKContext + IKUpload + IKImage), unchanged except that its
// settings come from the test. The page adds the imagekit-redirect.js script tag; nothing else knows of Upfront.
import React, { useState } from "react";
import { createRoot } from "react-dom/client";
import { IKContext, IKImage, IKUpload } from "imagekitio-react";
import { config, describeError, finish } from "./report.js";
import { authenticator } from "./quickstart-auth.js";

const publicKey = config.publicKey;
const urlEndpoint = config.urlEndpoint;

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
