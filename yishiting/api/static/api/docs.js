/* Starts Swagger UI for /api/v1/docs. Settings come from data- attributes (no inline script: CSP). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrfToken = root.dataset.csrfToken;
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    // Offline: never ask swagger.io to validate the document.
    validatorUrl: null,
    requestInterceptor: function (request) {
      if (csrfToken) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    }
  });
})();
