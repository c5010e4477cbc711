// Mounts the bundled Swagger UI on the API page with the spec inlined by openapi.js
// (window.ARCHSMITH_OPENAPI): no fetch, so it works from file:// and offline.
(function () {
  var target = document.getElementById("swagger-ui");
  if (!target || !window.SwaggerUIBundle || !window.ARCHSMITH_OPENAPI) return;
  window.ui = SwaggerUIBundle({
    dom_id: "#swagger-ui",
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    validatorUrl: null,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
  // Swagger UI resolves $refs against the document's URL, and its OpenAPI 3.1 resolver
  // cannot evaluate file:// URLs: every schema then showed as "string". All refs are
  // internal, so any http(s) base resolves them and nothing is fetched.
  var base = location.protocol === "file:" ? "http://localhost/openapi.json" : location.href;
  window.ui.specActions.updateUrl(base);
  window.ui.specActions.updateSpec(JSON.stringify(window.ARCHSMITH_OPENAPI));
})();
