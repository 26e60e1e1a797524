// Added to ImageKit's jQuery samples (jquery-v1.html, jquery-v2.html): besides logging the upload's answer to the
// console as the samples do, show it on the page with the file back from the server 300 px wide.
function showResult(body) {
    var result = $("#result").attr("data-file-path", body.filePath);
    $("<pre>").text(JSON.stringify(body, null, 2)).appendTo(result);
    $("<img alt='preview, 300 px wide'>").on("load error", function (e) {
        result.attr("data-state", e.type === "load" ? "done" : "failed");
    }).attr("src", body.url + "?tr=w-300").appendTo(result);
}

function showError(jqxhr, error) {
    $("#result").attr("data-state", "failed").text(jqxhr.status + " " + (jqxhr.responseText || error));
}
