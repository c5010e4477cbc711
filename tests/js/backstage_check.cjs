// Validate Backstage catalog entities (a JSON array on stdin) with Backstage's own
// catalog model: the entity envelope and entity schemas, the kind's published JSON
// Schema, and the field-format policy the catalog applies (names, refs, tags).
// Prints {"ok": n, "errors": [...]}.
const model = require("@backstage/catalog-model");

const kinds = [
  model.systemEntityV1alpha1Validator,
  model.componentEntityV1alpha1Validator,
  model.apiEntityV1alpha1Validator,
  model.resourceEntityV1alpha1Validator,
  model.groupEntityV1alpha1Validator,
];
const policy = model.EntityPolicies.allOf([
  new model.SchemaValidEntityPolicy(),
  new model.FieldFormatEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
]);

(async () => {
  const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const errors = [];
  let ok = 0;
  for (const entity of input) {
    const label = `${entity.kind}:${entity.metadata && entity.metadata.name}`;
    try {
      await policy.enforce(entity);
      let matched = false;
      for (const validator of kinds) {
        if (await validator.check(entity)) matched = true;
      }
      if (!matched) throw new Error(`no validator for kind ${entity.kind}`);
      ok += 1;
    } catch (error) {
      errors.push(`${label}: ${error.message}`);
    }
  }
  process.stdout.write(JSON.stringify({ ok, errors }));
})();
