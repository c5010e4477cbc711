// Runs openapi-schema-diff (fastify) on two OpenAPI documents given as JSON files and
// prints the routes it finds added, deleted and changed, as JSON on stdout.
'use strict'
const fs = require('node:fs')
const compare = require('openapi-schema-diff')

const [source, target] = process.argv.slice(2).map((p) => JSON.parse(fs.readFileSync(p, 'utf8')))
const result = compare(source, target)
const route = (r) => `${r.method.toUpperCase()} ${r.path}`
process.stdout.write(JSON.stringify({
  added: result.addedRoutes.map(route).sort(),
  deleted: result.deletedRoutes.map(route).sort(),
  changed: result.changedRoutes.map((r) => ({
    route: route(r),
    changes: r.changes.map((c) => `${c.type}:${c.action}`).sort()
  })).sort((a, b) => a.route.localeCompare(b.route))
}) + '\n')
