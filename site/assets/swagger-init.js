// Mounts the bundled Swagger UI on the API page with the spec inlined by openapi.js
// (window.ARCHSMITH_OPENAPI): no fetch, so it works from file:// and offline.
(function () {
  var target = document.getElementById("swagger-ui");
  if (!target || !window.SwaggerUIBundle || !window.ARCHSMITH_OPENAPI) return;
  window.ui = SwaggerUIBundle({
    spec: window.ARCHSMITH_OPENAPI,
    dom_id: "#swagger-ui",
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    validatorUrl: null,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
