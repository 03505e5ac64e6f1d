#!/usr/bin/env python3
# Regenerates the catalogue from _base.yaml.txt: each case is one text edit of the base, and its
# expected line is computed from a marker. The .yaml files are the source of truth for the tests;
# run this only after changing _base.yaml.txt or a case below, then review the diff.
# The expected column ("at LINE:COLUMN") is not computed: it is kept from the committed file when
# the line is unchanged; a new or moved case gets none and must have its column added by hand.
import os, re, sys
d = os.path.dirname(os.path.abspath(__file__))
base = open(os.path.join(d, '_base.yaml.txt')).read()

_write = open
_columns = {}
for _name in os.listdir(d):
    if _name.endswith('.yaml'):
        _m = re.match(r'# expect: (EB\d{4}) at (\d+):(\d+)', _write(os.path.join(d, _name)).read())
        if _m:
            _columns[os.path.join(d, _name)] = (_m.group(1), _m.group(2), _m.group(3))

def open(path, mode='r', *a, **k):
    if 'w' not in mode:
        return _write(path, mode, *a, **k)
    class _Keeper:
        def write(self, text):
            old = _columns.get(path)
            n = re.match(r'# expect: (EB\d{4}) at (\d+) ', text)
            if old and n and (n.group(1), n.group(2)) == old[:2]:
                text = text[:n.end(2)] + ':' + old[2] + text[n.end(2):]
            with _write(path, mode, *a, **k) as out:
                out.write(text)
    return _Keeper()

def case(name, id, what, edits, marker, nth=1):
    text = base
    for old, new in edits:
        assert text.count(old) >= 1, (name, old)
        text = text.replace(old, new, 1)
    # marker line (1-based in body) + 1 for the header
    idx = -1
    for _ in range(nth):
        idx = text.index(marker, idx + 1)
    line = text[:idx].count('\n') + 2
    header = f"# expect: {id} at {line} ({what})\n"
    open(os.path.join(d, name + '.yaml'), 'w').write(header + text)

C = []
def c(*a, **k): C.append((a, k))

c('syntax-unclosed-flow', 'EB1001', 'YAML syntax: an unclosed flow sequence', [('security: [apiKey]\n', 'security: [apiKey\n')], 'security: [apiKey')
c('syntax-bad-indent', 'EB1001', 'YAML syntax: a key at a wrong indentation', [('    url: https://api.example.com\n', '    url: https://api.example.com\n   bad: 1\n')], 'bad: 1')
c('unknown-key-top', 'EB1002', 'unknown top-level key, did you mean title', [('title: Sample', 'titel: Sample'), ('version: "1"\n', 'version: "1"\ntitle: x\n')], 'titel')
c('unknown-key-parameter', 'EB1002', 'unknown key in a parameter', [('    semantics: { kind: atLeast, field: level }', '    semantix: { kind: atLeast, field: level }')], 'semantix')
c('unknown-key-semantics', 'EB1002', 'unknown key inside semantics', [('{ kind: atLeast, field: level }', '{ kind: atLeast, field: level, inclusiv: true }')], 'inclusiv')
c('missing-title', 'EB1003', 'missing required top-level key', [('title: Sample Events API\n', '')], 'format: 1')
c('missing-field-type', 'EB1003', 'a field without a type', [('{ json: id, type: int64, mock: { from: id } }', '{ json: id, mock: { from: id } }')], '{ json: id, mock')
c('missing-list-order', 'EB1003', 'a list endpoint without an order', [('    order: { field: id, direction: ascending }\n', '')], '  - name: Items')
c('wrong-type-minimum', 'EB1004', 'a non-integer minimum', [('    minimum: 0\n', '    minimum: zero\n')], 'zero')
c('wrong-type-servers', 'EB1004', 'servers as a mapping instead of a sequence', [('servers:\n  - name: Main\n    url: https://api.example.com\n', 'servers:\n  name: Main\n  url: https://api.example.com\n')], '  name: Main')
c('wrong-type-bool', 'EB1004', 'a boolean that is not true/false', [('    type: date\n', '    type: date\n    required: yes-please\n')], 'yes-please')
c('invalid-method', 'EB1005', 'an HTTP method that does not exist', [('    method: POST\n', '    method: FETCH\n')], 'FETCH')
c('invalid-placement', 'EB1005', 'a parameter placement that does not exist', [('in: path, semantics', 'in: body, semantics')], 'in: body')
c('invalid-combination-value', 'EB1005', 'a mock combination value that is not a value of the enum', [('{ level: HIGH, device.host: alpha }', '{ level: MEDIUM, device.host: alpha }')], 'MEDIUM')
c('copyof-cycle', 'EB1005', 'two fields that copy each other', [('      - { json: host, type: string, mock: { values: [alpha, beta] } }\n', '      - { json: host, type: string, mock: { copyOf: alias } }\n      - { json: alias, type: string, mock: { copyOf: host } }\n')], 'copyOf: alias')
c('nullrate-not-nullable', 'EB1005', 'a nullRate on a field that is neither nullable nor optional', [('{ json: host, type: string, mock: { values: [alpha, beta] } }', '{ json: host, type: string, mock: { values: [alpha, beta], nullRate: 0.5 } }')], 'nullRate')
c('dangling-field-type', 'EB1006', 'a field type that names no model or enum', [('{ json: level, type: Level }', '{ json: level, type: Levle }')], 'Levle')
c('dangling-response-model', 'EB1006', 'a response model that does not exist', [('{ kind: item, model: Item }', '{ kind: item, model: Itme }')], 'Itme')
c('duplicate-field', 'EB1007', 'a field declared twice', [('      - { json: time, type: timestamp, encoding: epochMillis }\n', '      - { json: time, type: timestamp, encoding: epochMillis }\n      - { json: text, type: string }\n')], 'json: text, type: string }')
c('duplicate-endpoint', 'EB1007', 'two endpoints with the same name', [('  - name: Token\n', '  - name: Item\n    method: GET\n    path: /other\n    response: { kind: count }\n  - name: Token\n')], 'name: Item\n', 2)
c('duplicate-enum-value', 'EB1007', 'an enum value listed twice', [('      - { value: HIGH, csharp: High, description: High level }\n', '      - { value: HIGH, csharp: High, description: High level }\n      - { value: LOW, csharp: Lowest }\n')], 'value: LOW, csharp: Lowest')
c('filter-field-missing', 'EB1008', 'a filter whose semantics names a field the item model lacks', [('field: device.host }', 'field: device.hots }')], 'device.hots')
c('order-field-missing', 'EB1008', 'an order over a field the item model lacks', [('order: { field: id,', 'order: { field: ident,')], 'ident')
c('mock-from-missing', 'EB1008', 'a mock from-hint naming a field the dataset model lacks', [('mock: { from: id }', 'mock: { from: ids }')], 'from: ids')
c('describes-missing', 'EB1008', 'a describes-hint naming no sibling field', [('mock: { describes: level }', 'mock: { describes: lvl }')], 'describes: lvl')
c('default-above-maximum', 'EB1009', 'a default above the maximum', [('    default: 50\n', '    default: 5000\n')], '5000')
c('minimum-above-maximum', 'EB1009', 'a minimum above the maximum', [('    minimum: 1\n    maximum: 1000\n', '    minimum: 2000\n    maximum: 1000\n')], 'minimum: 2000')
c('example-string-for-integer', 'EB1010', 'an example with a string where an integer is declared', [('{"id": 1, "level"', '{"id": "1", "level"')], '"id": "1"')
c('example-null-not-nullable', 'EB1010', 'an example with null in a non-nullable field', [('"level": "LOW"', '"level": null')], 'null, "text"')
c('mock-value-wrong-type', 'EB1004', 'a mock value that is not of the field type', [('values: ["80", "443"]', 'values: ["80", http]')], 'http]')
c('absentrate-not-optional', 'EB1005', 'an absentRate on a field that is not optional', [('{ json: host, type: string, mock: { values: [alpha, beta] } }', '{ json: host, type: string, mock: { values: [alpha, beta], absentRate: 0.5 } }')], 'absentRate')
c('nullrate-only-optional', 'EB1005', 'a nullRate on a field that is optional but not nullable', [('mock: { values: ["80", "443"] }', 'mock: { values: ["80", "443"], nullRate: 0.5 }')], 'nullRate')
c('fractiondigits-not-iso', 'EB1005', 'fractionDigits on an epoch timestamp', [('{ json: time, type: timestamp, encoding: epochMillis }', '{ json: time, type: timestamp, encoding: epochMillis, mock: { fractionDigits: 3 } }')], 'fractionDigits')
c('mock-enum-unknown', 'EB1006', 'mock.enums naming an enum that does not exist', [('  combinations:\n', '  enums:\n    Levle: { unknownRate: 0.1 }\n  combinations:\n')], 'Levle')
c('mock-enum-rate-value', 'EB1005', 'a mock.enums rate of a value the enum does not list', [('  combinations:\n', '  enums:\n    Level: { rates: { MEDIUM: 0 } }\n  combinations:\n')], 'MEDIUM')
c('mock-enum-rates-sum', 'EB1009', 'mock.enums rates adding up to more than 1', [('  combinations:\n', '  enums:\n    Level: { unknownRate: 0.6, rates: { LOW: 0.5 } }\n  combinations:\n')], 'Level: {')
c('example-missing-field', 'EB1011', 'an example lacking a non-nullable field', [(', "time": 1700000000000}', '}')], '{"id": 1')
c('pagination-unknown-parameter', 'EB1012', 'pagination naming a parameter the endpoint lacks', [('      pageSize: take\n', '      pageSize: limit\n')], 'limit')
c('sync-unknown-parameter', 'EB1012', 'sync naming a parameter the endpoint lacks', [('parameter: startid, field: id }', 'parameter: start, field: id }')], 'parameter: start,')
c('sync-set-and-default', 'EB1007', 'a sync value both set and defaulted', [('parameter: startid, field: id }', 'parameter: startid, field: id, set: { take: 10 }, defaults: { take: 20 } }')], 'defaults: { take')
c('ignoredwhen-unknown', 'EB1012', 'ignoredWhen naming a parameter the endpoint lacks', [('ignoredWhen: [since]', 'ignoredWhen: [sinse]')], 'sinse')
c('example-query-unknown', 'EB1012', 'an example request naming a parameter the endpoint lacks', [('      - name: one\n', '      - name: one\n        request: { query: { limit: "2" } }\n')], 'limit')
c('too-deep', 'EB1013', 'nesting deeper than 64 levels', [('version: "1"\n', 'version: ' + '[' * 70 + ']' * 70 + '\n')], '[' * 64)
c('alias-bomb', 'EB1013', 'billion laughs: aliases expanding beyond the node budget',
  [('version: "1"\n', 'version: "1"\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nx-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nx-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nx-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nx-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\nx-g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nx-h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\nx-i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n')], 'x-f: &f [*e, *e, *e')
c('invalid-identifier', 'EB1014', 'a name that is not a C# identifier', [('name: Sample\n', 'name: 1Sample\n')], '1Sample')
c('invalid-namespace', 'EB1014', 'a namespace that is not a C# namespace', [('namespace: Sample.Events', 'namespace: Sample..Events')], 'Sample..Events')
c('unknown-security-scheme', 'EB1015', 'security naming an unknown auth scheme', [('security: [apiKey]', 'security: [apikey]')], 'apikey]')
c('unknown-exchange-endpoint', 'EB1015', 'a refresh scheme naming an unknown exchange endpoint', [('endpoint: Token,', 'endpoint: Tokens,')], 'Tokens')
c('unknown-credential-scheme', 'EB1015', 'a mock credential naming an unknown scheme', [('{ scheme: apiKey, value: demo }', '{ scheme: basic, value: demo }')], 'scheme: basic')
c('path-placeholder-unmatched', 'EB1016', 'a path placeholder without an in: path parameter', [('path: /items/{id}', 'path: /items/{id}/{part}')], '/items/{id}/{part}')
c('example-request-path', 'EB1016', 'an example request path that does not match the endpoint path', [('      - name: one\n', '      - name: one\n        request: { path: /things }\n')], '/things')
c('example-status-without-body', 'EB1003', 'a request-only example with a status', [('      - name: one\n', '      - name: shown\n        status: 404\n        request: { query: { take: "2" } }\n      - name: one\n')], 'status: 404')
c('duplicate-key', 'EB1017', 'a key twice in one mapping', [('version: "1"\n', 'version: "1"\nversion: "2"\n')], 'version: "2"')
c('duplicate-model-key', 'EB1017', 'a model declared twice (a duplicate key of models)', [('  TokenAnswer:\n', '  Device:\n    fields:\n      - { json: x, type: string }\n  TokenAnswer:\n')], '  Device:', 2)
c('unsupported-format', 'EB1018', 'a format version this parser does not read', [('format: 1\n', 'format: 2\n')], 'format: 2')
c('atleast-unordered', 'EB1019', 'atLeast over an enum that is not ordered', [('    ordered: true\n', '')], 'field: level }')
c('oneof-not-list', 'EB1019', 'oneOf on a parameter that is not a list', [('    type: string[]\n    separator: "|"\n', '    type: string\n')], '{ kind: oneOf')
c('pagesize-wrong-role', 'EB1019', 'pagination whose page size parameter does not have pageSize semantics', [('      pageSize: take\n', '      pageSize: days\n')], 'pageSize: days')
c('equals-type-mismatch', 'EB1019', 'an equals filter whose parameter type cannot equal the field', [('semantics: { kind: equals, field: id } }', 'semantics: { kind: equals, field: level } }')], 'field: level } }')
c('example-query-wrong-type', 'EB1004', 'an example query value of the wrong type', [('      - name: one\n', '      - name: one\n        request: { query: { take: many } }\n')], 'many')
c('example-not-json', 'EB1020', 'an example written in YAML rather than JSON', [('{"data": [{"id"', '{data: [{"id"')], '{data')
c('example-single-quoted', 'EB1020', 'an example with a single-quoted JSON string', [('"level": "LOW"', '"level": \'LOW\'')], "'LOW'")
c('unknown-shared-parameter', 'EB1021', 'an endpoint naming a shared parameter that does not exist', [('[startid, take, level,', '[startid, take, levle,')], 'levle')
c('invalid-url', 'EB1022', 'a server URL that is not absolute', [('url: https://api.example.com', 'url: api.example.com')], 'api.example.com')
c('invalid-docs-url', 'EB1022', 'a docs URL with another scheme', [('docs: https://example.com/docs', 'docs: ftp://example.com/docs')], 'ftp:')
c('example-undeclared-property', 'EB1501', 'an example property the model does not declare (warning)', [('"time": 1700000000000}', '"time": 1700000000000, "colour": "red"}')], '"colour"')
c('cursor-over-text', 'EB1023', 'cursor paging over a string field', [('cursor: { parameter: startid, field: id, next: lastPlusOne }', 'cursor: { parameter: startid, field: text, next: last }')], 'text, next: last')
c('cursor-time-in-integer', 'EB1023', 'a timestamp cursor sent in an integer parameter', [('cursor: { parameter: startid, field: id, next: lastPlusOne }', 'cursor: { parameter: startid, field: time, next: lastPlusOne }')], 'startid, field: time')
c('time-cursor-without-offset', 'EB1023', 'a timeCursor sync on an endpoint without offset paging', [('sync: { strategy: idCursor, parameter: startid, field: id }', 'sync: { strategy: timeCursor, parameter: startid, field: time, dedupBy: id }')], 'timeCursor')
c('parameter-without-semantics', 'EB1003', 'a parameter that says nothing of what it does', [('    type: Level\n    semantics: { kind: atLeast, field: level }\n', '    type: Level\n')], 'type: Level')
c('error-400-without-fields', 'EB1003', 'a 400 with a model that names no message field', [('errors:\n  - status: 401\n', 'errors:\n  - status: 400\n    meaning: Bad input.\n    model: TokenAnswer\n  - status: 401\n')], 'TokenAnswer\n  - status: 401')
c('opaque-with-field', 'EB1005', 'an opaque parameter naming a field', [('semantics: { kind: atLeast, field: level }', 'semantics: { kind: opaque, field: level }')], 'level }')
c('auth-scheme-bearer', 'EB1005', 'an authorization scheme named Bearer (kind bearer exists)', [('  apiKey: { kind: apiKey, header: x-api-key }', '  apiKey: { kind: authorization, scheme: Bearer }')], 'Bearer }')
c('auth-scheme-not-token', 'EB1005', 'an authorization scheme name that is not an HTTP token', [('  apiKey: { kind: apiKey, header: x-api-key }', '  apiKey: { kind: authorization, scheme: "SS WS" }')], '"SS WS"')
c('auth-scheme-missing', 'EB1003', 'an authorization scheme without its scheme name', [('  apiKey: { kind: apiKey, header: x-api-key }', '  apiKey: { kind: authorization }')], '{ kind: authorization }')
c('auth-scheme-stray', 'EB1005', 'a scheme name on an apiKey scheme', [('  apiKey: { kind: apiKey, header: x-api-key }', '  apiKey: { kind: apiKey, header: x-api-key, scheme: SSWS }')], 'SSWS')
c('model-name-lowercase', 'EB1014', 'an all-lowercase model name (CS8981 in the generated code)', [('  Item:\n    fields:', '  item:\n    fields:'), ('model: Item', 'model: item'), ('model: Item', 'model: item'), ('model: Item', 'model: item')], '  item:')
c('server-placeholder-without-variable', 'EB1016', 'a server URL placeholder without a variable', [('url: https://api.example.com', 'url: https://{tenant}.example.com')], 'https://{tenant}')
c('server-variable-unused', 'EB1016', 'a server variable the URL does not use', [('    url: https://api.example.com\n', '    url: https://api.example.com\n    variables:\n      tenant: { default: acme }\n')], 'tenant:')
c('server-variable-not-absolute', 'EB1022', 'a templated server URL that is not absolute once filled', [('    url: https://api.example.com\n', '    url: "{host}/api"\n    variables:\n      host: { default: api.example.com }\n')], '"{host}/api"')
c('server-variable-bad-default', 'EB1005', 'a server variable default holding a slash', [('    url: https://api.example.com\n', '    url: https://{tenant}.example.com\n    variables:\n      tenant: { default: acme/evil }\n')], 'acme/evil')
c('relative-default-bad-duration', 'EB1005', 'a relative default whose offset is not an ISO 8601 duration', [('    type: date\n    semantics: { kind: greaterThan', '    type: date\n    default: { relativeTo: now, offset: -7D }\n    semantics: { kind: greaterThan')], '-7D')
c('relative-default-months', 'EB1005', 'a relative default in months (no fixed length)', [('    type: date\n    semantics: { kind: greaterThan', '    type: date\n    default: { relativeTo: now, offset: -P1M }\n    semantics: { kind: greaterThan')], '-P1M')
c('relative-default-not-time', 'EB1019', 'a relative default on an integer parameter', [('    default: 50\n', '    default: { relativeTo: now, offset: -P7D }\n')], '{ relativeTo: now, offset: -P7D }')
c('relative-default-unknown-parameter', 'EB1012', 'a relative default relative to a parameter the endpoint lacks', [('    type: date\n    semantics: { kind: greaterThan', '    type: date\n    default: { relativeTo: untill, offset: -P7D }\n    semantics: { kind: greaterThan')], 'untill')
c('relative-default-to-integer', 'EB1019', 'a relative default relative to an integer parameter', [('    type: date\n    semantics: { kind: greaterThan', '    type: date\n    default: { relativeTo: take, offset: -P7D }\n    semantics: { kind: greaterThan')], 'take, offset')
c('relative-default-self', 'EB1005', 'a relative default relative to its own parameter', [('    type: date\n    semantics: { kind: greaterThan', '    type: date\n    default: { relativeTo: since, offset: -P7D }\n    semantics: { kind: greaterThan')], 'since, offset')
c('relative-default-cycle', 'EB1005', 'relative defaults that form a cycle', [('    type: date\n    semantics: { kind: greaterThan', '    type: date\n    default: { relativeTo: until, offset: -P7D }\n    semantics: { kind: greaterThan'), ('  host:\n', '  until:\n    type: date\n    default: { relativeTo: since, offset: P7D }\n    semantics: { kind: lessThan, field: time, inclusive: true }\n  host:\n'), ('days, since, host]', 'days, since, until, host]')], 'until, offset')
# SCIM filters, keyword search and rate limits (semantics kinds scim and keywords; top-level rateLimit).
c('scim-attribute-unknown', 'EB1008', 'a scim attribute the item model lacks', [('    semantics: { kind: oneOf, field: device.host }\n', '    semantics: { kind: oneOf, field: device.host }\n  filter:\n    type: string\n    semantics: { kind: scim, attributes: [level, levle] }\n'), ('parameters: [startid, take, level, days, since, host]', 'parameters: [startid, take, level, days, since, host, filter]')], 'levle')
c('scim-attribute-model', 'EB1019', 'a scim attribute that is a nested model, not a scalar', [('    semantics: { kind: oneOf, field: device.host }\n', '    semantics: { kind: oneOf, field: device.host }\n  filter:\n    type: string\n    semantics: { kind: scim, attributes: [device] }\n'), ('parameters: [startid, take, level, days, since, host]', 'parameters: [startid, take, level, days, since, host, filter]')], 'device]')
c('scim-over-integer', 'EB1019', 'a scim parameter that is not a string', [('    semantics: { kind: oneOf, field: device.host }\n', '    semantics: { kind: oneOf, field: device.host }\n  filter:\n    type: int32\n    semantics: { kind: scim }\n'), ('parameters: [startid, take, level, days, since, host]', 'parameters: [startid, take, level, days, since, host, filter]')], '{ kind: scim')
c('keywords-over-integer-field', 'EB1019', 'keywords over a field that is not text', [('    semantics: { kind: oneOf, field: device.host }\n', '    semantics: { kind: oneOf, field: device.host }\n  q:\n    type: string\n    semantics: { kind: keywords, fields: [text, device.port] }\n'), ('parameters: [startid, take, level, days, since, host]', 'parameters: [startid, take, level, days, since, host, q]')], 'device.port')
c('errorcode-not-scim', 'EB1005', 'errorCode on a parameter that is not a scim filter', [('    semantics: { kind: oneOf, field: device.host }\n', '    semantics: { kind: oneOf, field: device.host }\n  q:\n    type: string\n    semantics: { kind: keywords, errorCode: E1 }\n'), ('parameters: [startid, take, level, days, since, host]', 'parameters: [startid, take, level, days, since, host, q]')], 'E1 }')
c('ratelimit-without-reset', 'EB1003', 'a rate limit without its reset header', [('    semantics: { kind: oneOf, field: device.host }\n', '    semantics: { kind: oneOf, field: device.host }\n  filter:\n    type: string\n    semantics: { kind: scim }\n'), ('parameters: [startid, take, level, days, since, host]', 'parameters: [startid, take, level, days, since, host, filter]'), ('security: [apiKey]\n', 'security: [apiKey]\nrateLimit: { limit: X-Limit, remaining: X-Remaining, resetKind: epochSeconds }\n')], '{ limit')
c('ratelimit-bad-reset-kind', 'EB1005', 'a rate limit whose reset is neither epochSeconds nor deltaSeconds', [('    semantics: { kind: oneOf, field: device.host }\n', '    semantics: { kind: oneOf, field: device.host }\n  q:\n    type: string\n    semantics: { kind: keywords }\n'), ('parameters: [startid, take, level, days, since, host]', 'parameters: [startid, take, level, days, since, host, q]'), ('security: [apiKey]\n', 'security: [apiKey]\nrateLimit: { reset: X-Reset, resetKind: epochMillis }\n')], 'epochMillis')

# Next-link paging (pagination: { strategy: nextLink }): the base with a pageToken parameter 'after' and a Link-header pagination.
NL_PARAM = ('  host:\n', '  after:\n    type: string\n    semantics: { kind: pageToken }\n  host:\n')
NL_USE = ('[startid, take, level, days, since, host]', '[startid, take, level, days, since, host, after]')
NL_OLD = '    pagination:\n      strategy: cursor\n      cursor: { parameter: startid, field: id, next: lastPlusOne }\n      pageSize: take\n    sync: { strategy: idCursor, parameter: startid, field: id }\n'
def nl(link='{ header: Link, rel: next }', extra='      cursor: after\n', sync='    sync: { strategy: nextLink, dedupBy: id }\n'):
    return (NL_OLD, '    pagination:\n      strategy: nextLink\n      nextLink: ' + link + '\n' + extra + '      pageSize: take\n' + sync)
c('nextlink-header-and-field', 'EB1005', 'a next link from both a header and a body field', [NL_PARAM, NL_USE, nl('{ header: Link, rel: next, field: next }')], 'field: next }')
c('nextlink-rel-missing', 'EB1003', 'a Link-header next link without rel', [NL_PARAM, NL_USE, nl('{ header: Link }')], '{ header: Link }')
c('nextlink-field-in-envelope', 'EB1005', 'a next-link field inside the items envelope property', [NL_PARAM, NL_USE, nl('{ field: data.next }')], 'data.next')
c('nextlink-field-bare-array', 'EB1023', 'a next-link body field on a response without an envelope', [NL_PARAM, NL_USE, nl('{ field: next }'), ('response: { kind: list, model: Item, envelope: data }', 'response: { kind: list, model: Item }'), ('{"data": [{"id": 1, "level": "LOW", "text": null, "time": 1700000000000}]}', '[{"id": 1, "level": "LOW", "text": null, "time": 1700000000000}]')], 'next }')
c('nextlink-cursor-not-pagetoken', 'EB1019', 'a nextLink cursor whose parameter is not a pageToken', [nl(extra='      cursor: host\n')], 'cursor: host')
c('nextlink-cursor-missing', 'EB1003', 'nextLink paging without its cursor parameter', [NL_PARAM, NL_USE, nl(extra='')], 'strategy: nextLink')
c('nextlink-parameter-with-header', 'EB1005', 'a token parameter on a Link-header next link', [NL_PARAM, NL_USE, nl('{ header: Link, rel: next, parameter: after }', extra='')], 'parameter: after')
c('nextlink-stop-shortpage', 'EB1005', 'nextLink paging that stops at a short page', [NL_PARAM, NL_USE, nl(extra='      cursor: after\n      stop: shortPage\n')], 'shortPage')
c('nextlink-sync-on-cursor-paging', 'EB1023', 'a nextLink sync on an endpoint with cursor paging', [('sync: { strategy: idCursor, parameter: startid, field: id }', 'sync: { strategy: nextLink, dedupBy: id }')], 'nextLink, dedupBy')
c('pagetoken-without-nextlink', 'EB1023', 'a pageToken parameter on an endpoint without nextLink paging', [NL_PARAM, NL_USE], 'pageToken')
c('pagetoken-not-string', 'EB1019', 'a pageToken parameter that is not a string', [('  host:\n', '  after:\n    type: int64\n    semantics: { kind: pageToken }\n  host:\n'), NL_USE, nl()], '{ kind: pageToken }')
c('stop-absent-on-cursor', 'EB1005', 'stop: absent on cursor paging', [('      pageSize: take\n    sync: { strategy: idCursor', '      pageSize: take\n      stop: absent\n    sync: { strategy: idCursor')], 'absent')
c('nextlink-cursor-in-header', 'EB1023', 'a Link-header next link whose cursor is declared in a header', [('  host:\n', '  after:\n    type: string\n    in: header\n    semantics: { kind: pageToken }\n  host:\n'), NL_USE, nl()], 'cursor: after')
NL_CASES = len(C)
c('empty-file', 'EB1003', 'an empty file', [], None)
for a, k in C:
    if a[0] == 'empty-file':
        continue
    case(*a, **k)
open(os.path.join(d, 'empty-file.yaml'), 'w').write('# expect: EB1003 at 1 (an empty file: only this comment)\n')
open(os.path.join(d, 'root-list.yaml'), 'w').write('# expect: EB1004 at 2 (a YAML list at the root)\n- format: 1\n- name: Sample\n')
open(os.path.join(d, 'root-scalar.yaml'), 'w').write('# expect: EB1004 at 2 (a plain string at the root)\njust a string\n')
open(os.path.join(d, 'multiple-documents.yaml'), 'w').write('# expect: EB1001 at 3 (two YAML documents in one file)\n' + base + '---\n' + base)
# fix multiple documents line: the '---' line
t = open(os.path.join(d, 'multiple-documents.yaml')).read()
line = t[:t.index('---\n')].count('\n') + 1
open(os.path.join(d, 'multiple-documents.yaml'), 'w').write(t.replace('at 3 (', f'at {line} (', 1))
open(os.path.join(d, 'tab-indentation.yaml'), 'w').write('# expect: EB1001 at 4 (a tab used as indentation)\nformat: 1\nservers:\n\t- name: Main\n')
open(os.path.join(d, 'undefined-alias.yaml'), 'w').write('# expect: EB1001 at 3 (an alias without an anchor)\nformat: 1\nname: *nothing\n')
print(len(os.listdir(d)))
