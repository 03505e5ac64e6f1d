// One file of about 420 lines on purpose: the combination generator and its assertions read as one table of cases; each block of cases is short, and they share the in-memory compilation.
using System.Text;
using EventsBindings.Spec;
using EventsBindings.Spec.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// A contract the spec accepts always compiles: contracts combining every parameter type with every
/// semantics, every paging and sync strategy over every cursor type, and every nullability of every
/// field type are generated and compiled in memory (nullable on, warnings count as errors). Those the spec
/// rejects must be rejected with a located EB diagnostic; those it accepts must give no CS diagnostic.
/// </summary>
public sealed class CombinationTests(ITestOutputHelper output)
{
    private static readonly string[] FieldTypes =
    {
        "int32", "int64", "number", "boolean", "string", "date", "json", "Level", "Code", "Inner",
        "timestamp/isoLocal", "timestamp/isoUtc", "timestamp/iso", "timestamp/epochMillis", "timestamp/epochNanos",
        "string[]", "int64[]", "Level[]", "Inner[]", "timestamp/iso[]",
    };

    private static readonly string[] ScalarParameterTypes =
    {
        "int32", "int64", "number", "boolean", "string", "date", "Level", "Code",
        "timestamp/isoLocal", "timestamp/isoUtc", "timestamp/iso", "timestamp/epochMillis", "timestamp/epochNanos",
    };

    private static readonly string[] CursorTypes =
    {
        "int32", "int64", "timestamp/isoLocal", "timestamp/isoUtc", "timestamp/iso", "timestamp/epochMillis", "timestamp/epochNanos",
    };

    /// <summary>A type reference as YAML keys: <c>type: x</c> and, for timestamps, <c>encoding: y</c>.</summary>
    private static string Type(string type)
    {
        var array = type.EndsWith("[]", StringComparison.Ordinal);
        var bare = array ? type[..^2] : type;
        var parts = bare.Split('/');
        var name = parts[0] + (array ? "[]" : string.Empty);
        return parts.Length == 2 ? $"type: \"{name}\", encoding: {parts[1]}" : $"type: \"{name}\"";
    }

    private static string Json(string type) => "f_" + type.Replace("/", "_", StringComparison.Ordinal).Replace("[]", "_list", StringComparison.Ordinal).ToLowerInvariant();

    private sealed record Variant(string Name, string Parameters, string EndpointExtra, int Nullability, bool CursorFieldNullable = false)
    {
        /// <summary>The <c>servers</c> and <c>auth</c>/<c>security</c> sections (YAML), when the variant sets its own.</summary>
        public string? Servers { get; init; }

        public string? Auth { get; init; }

        /// <summary>The item model's name (an all-lowercase one is a name C# reserves: CS8981).</summary>
        public string ItemModel { get; init; } = "Item";
    }

    /// <summary>One contract: the item model holds a field of every type (with this variant's nullability) and the cursor fields.</summary>
    private static string Contract(int index, Variant v)
    {
        var (nullable, optional) = (v.Nullability & 1) == 1 ? (true, false) : (false, (v.Nullability & 2) == 2);
        if (v.Nullability == 3)
        {
            (nullable, optional) = (true, true);
        }

        var n = $"nullable: {(nullable ? "true" : "false")}, optional: {(optional ? "true" : "false")}";
        var cn = v.CursorFieldNullable ? "nullable: true" : "nullable: false";
        var b = new StringBuilder();
        b.Append($$"""
            format: 1
            name: C{{index}}
            namespace: Combo.C{{index}}
            title: "Combination {{index}}: {{v.Name.Replace("\"", "'", StringComparison.Ordinal)}}"
            {{v.Servers ?? "servers:\n  - { name: Main, url: \"https://api.example.com\" }"}}
            {{v.Auth ?? "auth:\n  apiKey: { kind: apiKey, header: x-api-key }\nsecurity: [apiKey]"}}
            {{(index % 5 == 0 ? "rateLimit: { limit: X-Limit, remaining: X-Remaining, reset: X-Reset, resetKind: " + (index % 2 == 0 ? "epochSeconds" : "deltaSeconds") + " }" : "# no rate limit")}}
            parameters:
              skip: { type: int32, semantics: { kind: offset } }
              limit: { type: int32, default: 50, minimum: 1, maximum: 1000, semantics: { kind: pageSize } }
            {{v.Parameters}}
            enums:
              Level:
                type: string
                ordered: true
                values:
                  - { value: LOW, csharp: Low }
                  - { value: HIGH, csharp: High }
              Code:
                type: int32
                values:
                  - { value: "1", csharp: One }
                  - { value: "2", csharp: Two }
              Direction:
                type: string
                values:
                  - { value: ASC, csharp: Asc }
                  - { value: DESC, csharp: Desc }
            models:
              Inner:
                fields:
                  - { json: name, type: string, {{n}} }
                  - { json: code, type: Code, {{n}} }
              {{v.ItemModel}}:
                fields:
                  - { json: id, type: int64 }
                  - { json: uid, type: string }

            """);
        foreach (var cursor in CursorTypes)
        {
            b.Append($"      - {{ json: c_{Json(cursor)[2..]}, {Type(cursor)}, {cn} }}\n");
        }

        foreach (var type in FieldTypes)
        {
            b.Append($"      - {{ json: {Json(type)}, {Type(type)}, {n} }}\n");
        }

        b.Append($$"""
            endpoints:
              - name: Items
                method: GET
                path: /items
            {{v.EndpointExtra}}
                response: { kind: list, model: {{v.ItemModel}}, envelope: data }
                order: { field: id, direction: ascending }
              - name: Item
                method: GET
                path: /items/{id}
                parameters:
                  - { name: id, type: int64, in: path, semantics: { kind: equals, field: id } }
                response: { kind: item, model: {{v.ItemModel}} }
              - name: Count
                method: GET
                path: /items/count
                response: { kind: count }

            """);
        return b.ToString();
    }

    private static string Shared(string name, string type, string semantics, string extra = "") =>
        $"  {name}: {{ {Type(type)}{(type.EndsWith("[]", StringComparison.Ordinal) ? ", separator: \",\"" : string.Empty)}{extra}, semantics: {semantics} }}";

    /// <summary>Every parameter type under every semantics, each on a paged endpoint (the paging rotates).</summary>
    private static IEnumerable<Variant> ParameterVariants()
    {
        var pagings = new[]
        {
            ("none", "    parameters: [p]\n"),
            ("offset", "    parameters: [p, skip, limit]\n    pagination: { strategy: offset, offset: skip, pageSize: limit, stop: emptyPage }\n"),
            ("cursor", "    parameters: [p, cursor, limit]\n    pagination: { strategy: cursor, cursor: { parameter: cursor, field: id, next: lastPlusOne }, pageSize: limit }\n"),
        };
        var i = 0;
        foreach (var type in ScalarParameterTypes.Concat(ScalarParameterTypes.Select(t => t + "[]")))
        {
            foreach (var (field, semanticsOf) in Semantics(type))
            {
                var (pagingName, endpoint) = pagings[i % pagings.Length];
                var parameters = Shared("p", type, semanticsOf) + "\n" + Shared("cursor", "int64", "{ kind: cursorStart, field: id }");
                yield return new Variant($"{type} {semanticsOf} over {field}, {pagingName}", parameters, endpoint, i % 4);
                i++;
            }
        }
    }

    private static IEnumerable<(string Field, string Semantics)> Semantics(string type)
    {
        var element = type.TrimEnd('[', ']');
        var field = Json(element);
        yield return (field, $"{{ kind: equals, field: {field} }}");
        yield return (field, $"{{ kind: oneOf, field: {field} }}");
        yield return (field, $"{{ kind: greaterThan, field: {field}, inclusive: true }}");
        yield return (field, $"{{ kind: lessThan, field: {field} }}");
        yield return ("f_level", "{ kind: atLeast, field: f_level }");
        yield return ("c_timestamp_iso", "{ kind: relativeWindow, field: c_timestamp_iso, unit: hours }");
        yield return (field, $"{{ kind: cursorStart, field: {field} }}");
        yield return ("-", "{ kind: newestN }");
        yield return ("-", "{ kind: pageSize }");
        yield return ("f_string", "{ kind: sortOrder, field: f_string, ascending: ASC, descending: DESC }");
        yield return ("-", "{ kind: opaque }");
        yield return ("-", "{ kind: opaque, mock: ignore }");
        yield return ("-", "{ kind: scim }");
        yield return ("-", "{ kind: scim, errorCode: E0000031, caseInsensitive: true, attributes: [f_string, f_level, f_code, f_boolean, f_date, c_timestamp_iso, f_number, f_inner.name, f_inner_list.code, f_string_list] }");
        yield return ("-", "{ kind: keywords }");
        yield return ("-", "{ kind: keywords, fields: [f_string, f_level, f_inner.name, f_inner_list.name, f_string_list] }");
    }

    /// <summary>Cursor paging over every cursor field type, sent in every cursor parameter type.</summary>
    private static IEnumerable<Variant> CursorVariants()
    {
        var i = 0;
        foreach (var field in CursorTypes)
        {
            foreach (var parameter in CursorTypes)
            {
                foreach (var next in new[] { "last", "lastPlusOne" })
                {
                    var pageSize = i % 2 == 0 ? "int32" : "int64";
                    var parameters = Shared("since", parameter, $"{{ kind: greaterThan, field: c_{Json(field)[2..]}, inclusive: true }}")
                        + "\n" + Shared("size", pageSize, "{ kind: pageSize }", ", default: 100");
                    var endpoint = $"    parameters: [since, size]\n    pagination: {{ strategy: cursor, cursor: {{ parameter: since, field: c_{Json(field)[2..]}, next: {next} }}, pageSize: size, stop: {(i % 3 == 0 ? "emptyPage" : "shortPage")} }}\n";
                    yield return new Variant($"cursor {field} in {parameter}, {next}, page size {pageSize}", parameters, endpoint, i % 4, CursorFieldNullable: i % 2 == 1);
                    i++;
                }
            }
        }
    }

    /// <summary>Offset paging with id and time syncs over every cursor type, sent in every parameter type.</summary>
    private static IEnumerable<Variant> SyncVariants()
    {
        var i = 0;
        foreach (var offsetType in new[] { "int32", "int64" })
        {
            foreach (var strategy in new[] { "idCursor", "timeCursor" })
            {
                foreach (var field in CursorTypes.Append("number"))
                {
                    foreach (var parameter in CursorTypes.Append("number"))
                    {
                        var fieldJson = field == "number" ? "f_number" : "c_" + Json(field)[2..];
                        var parameters = Shared("after", parameter, $"{{ kind: greaterThan, field: {fieldJson} }}")
                            + "\n" + Shared("off", offsetType, "{ kind: offset }")
                            + "\n" + Shared("size", i % 2 == 0 ? "int32" : "int64", "{ kind: pageSize }", ", maximum: 500")
                            + "\n" + Shared("order", "Direction", "{ kind: sortOrder, field: id, ascending: ASC, descending: DESC }")
                            + "\n" + Shared("from", "date", "{ kind: greaterThan, field: f_date }");
                        var sync = strategy == "idCursor"
                            ? $"    sync: {{ strategy: idCursor, parameter: after, field: {fieldJson}, defaults: {{ from: \"2000-01-01\" }} }}\n"
                            : $"    sync: {{ strategy: timeCursor, parameter: after, field: {fieldJson}, overlap: 1000, dedupBy: {(i % 2 == 0 ? "id" : "uid")}, set: {{ order: ASC }} }}\n";
                        var endpoint = "    parameters: [after, off, size, order, from]\n    pagination: { strategy: offset, offset: off, pageSize: size }\n" + sync;
                        yield return new Variant($"{strategy} {field} in {parameter}, offset {offsetType}", parameters, endpoint, i % 4, CursorFieldNullable: i % 3 == 0);
                        i++;
                    }
                }
            }
        }
    }

    /// <summary>Next-link paging: a Link header, a body URL or a body token (in the query or a header), each stop rule, with and without a page size, a filter and a sync.</summary>
    private static IEnumerable<Variant> NextLinkVariants()
    {
        var links = new[]
        {
            ("header", "{ header: Link, rel: next }", "cursor: after, "),
            ("field", "{ field: next }", "cursor: after, "),
            ("nested field", "{ field: meta.links.next }", "cursor: after, "),
            ("token", "{ field: nextToken, parameter: after }", string.Empty),
            ("token and cursor", "{ field: meta.token, parameter: after }", "cursor: after, "),
        };
        var i = 0;
        foreach (var (linkName, link, cursor) in links)
        {
            foreach (var stop in new[] { string.Empty, ", stop: absent", ", stop: emptyPage" })
            {
                foreach (var shape in new[] { "filter+size+sync", "size", "token only", "filter+sync in header", "sync with set" })
                {
                    var inHeader = shape.Contains("header", StringComparison.Ordinal) && linkName.StartsWith("token", StringComparison.Ordinal);
                    var parameters = Shared("after", "string", "{ kind: pageToken }", inHeader ? ", in: header" : string.Empty)
                        + "\n" + Shared("since", "timestamp/iso", "{ kind: greaterThan, field: c_timestamp_iso, inclusive: true }")
                        + "\n" + Shared("order", "Direction", "{ kind: sortOrder, field: id, ascending: ASC, descending: DESC }")
                        + "\n" + Shared("size", i % 2 == 0 ? "int32" : "int64", "{ kind: pageSize }", ", maximum: 500");
                    var list = shape switch
                    {
                        "size" => "[size, after]",
                        "token only" => "[after]",
                        _ => "[since, order, size, after]",
                    };
                    var pageSize = list.Contains("size", StringComparison.Ordinal) ? ", pageSize: size" : string.Empty;
                    var sync = shape.Contains("sync", StringComparison.Ordinal)
                        ? $"    sync: {{ strategy: nextLink, dedupBy: {(i % 2 == 0 ? "id" : "uid")}{(shape == "sync with set" ? ", set: { order: ASC }, defaults: { since: \"2000-01-01T00:00:00Z\" }" : string.Empty)} }}\n"
                        : string.Empty;
                    var endpoint = $"    parameters: {list}\n    pagination: {{ strategy: nextLink, nextLink: {link}, {cursor}strategyEnd: x{pageSize}{stop} }}\n".Replace("strategyEnd: x", string.Empty, StringComparison.Ordinal).Replace(", ,", ",", StringComparison.Ordinal).Replace(",  }", " }", StringComparison.Ordinal).Replace(", }", " }", StringComparison.Ordinal) + sync;
                    yield return new Variant($"nextLink {linkName}{stop}, {shape}", parameters, endpoint, i % 4, CursorFieldNullable: i % 3 == 0);
                    i++;
                }
            }
        }
    }

    [Fact]
    public void NextLink_combinations_are_accepted_by_the_spec()
    {
        var variants = NextLinkVariants().ToList();
        var rejected = new List<string>();
        for (var i = 0; i < variants.Count; i++)
        {
            var parsed = ContractReader.Parse(Contract(i, variants[i]), $"/combo/n{i}.events.yaml");
            if (!parsed.Success)
            {
                rejected.Add($"{variants[i].Name}: {string.Join("; ", parsed.Diagnostics)}");
            }
        }

        Assert.True(rejected.Count == 0, string.Join(Environment.NewLine, rejected.Take(10)));
    }

    /// <summary>Custom Authorization schemes beside the other kinds, server URL templates and relative time defaults.</summary>
    private static IEnumerable<Variant> AuthServerDefaultVariants()
    {
        var auths = new[]
        {
            "auth:\n  ssws: { kind: authorization, scheme: SSWS }\nsecurity: [ssws]",
            "auth:\n  ssws: { kind: authorization, scheme: SSWS }\n  oauth: { kind: bearer }\nsecurity: [ssws, oauth]",
            "auth:\n  apiKey: { kind: apiKey, header: x-api-key }\n  basic: { kind: basic }\n  token: { kind: authorization, scheme: Token }\n  custom: { kind: authorization, scheme: \"X-Custom.v1\" }\nsecurity: [token, custom, apiKey, basic]",
        };
        var servers = new[]
        {
            "servers:\n  - name: Org\n    url: \"https://{orgDomain}\"\n    variables:\n      orgDomain: { default: example.test, description: \"The org's <domain> & more\" }",
            "servers:\n  - name: Org\n    url: \"https://{orgDomain}\"\n    variables:\n      orgDomain: { description: No default. }",
            "servers:\n  - { name: Main, url: \"https://api.example.com\" }\n  - name: Cell\n    url: \"https://{region}.example.com/{tenant}/api/{region}\"\n    default: true\n    variables:\n      region: { enum: [eu, us], default: eu }\n      tenant: {}",
            "servers:\n  - name: Tricky\n    url: \"http://{server}:{values}/{global}{variables}\"\n    variables:\n      server: { default: localhost }\n      values: { default: \"8080\" }\n      global: {}\n      variables: { default: x }\n  - name: Plain\n    url: \"https://{host}\"\n    variables:\n      host:",
        };
        var defaults = new[]
        {
            ("timestamp/isoUtc", "until", "-P7D"),
            ("timestamp/iso", "now", "PT1H30M"),
            ("timestamp/epochMillis", "until", "-PT0.5S"),
            ("timestamp/epochNanos", "now", "-P1W"),
            ("timestamp/isoLocal", "until", "P1D"),
            ("date", "until", "-P30D"),
        };
        var i = 0;
        foreach (var auth in auths)
        {
            foreach (var server in servers)
            {
                var (type, relativeTo, offset) = defaults[i % defaults.Length];
                var field = type == "date" ? "f_date" : "c_" + Json(type)[2..];
                var untilType = i % 2 == 0 ? type : (type == "date" ? "timestamp/iso" : "date");
                var parameters = Shared("since", type, $"{{ kind: greaterThan, field: {field}, inclusive: true }}", $", default: {{ relativeTo: {relativeTo}, offset: \"{offset}\" }}")
                    + "\n" + Shared("until", untilType, $"{{ kind: lessThan, field: {field} }}", i % 3 == 0 ? ", default: { relativeTo: now, offset: PT0S }" : string.Empty)
                    + "\n" + Shared("off", "int32", "{ kind: offset }");
                var endpoint = "    parameters: [since, until, off, limit]\n    pagination: { strategy: offset, offset: off, pageSize: limit }\n";
                yield return new Variant($"auth {i % auths.Length}, servers {i % servers.Length}, since {type} relative to {relativeTo} {offset}", parameters, endpoint, i % 4) { Auth = auth, Servers = server };
                i++;
            }
        }
    }

    [Fact]
    public void Auth_server_and_relative_default_variants_are_valid_contracts()
    {
        var i = 0;
        foreach (var variant in AuthServerDefaultVariants())
        {
            var parsed = ContractReader.Parse(Contract(i++, variant), "/combo/asd.events.yaml");
            Assert.True(parsed.Success, variant.Name + ": " + string.Join("; ", parsed.Diagnostics));
        }
    }

    /// <summary>Item models named as C# reserves for keywords (lowercase ASCII only; CS8981 at warning wave 7) and beside them names that are fine.</summary>
    private static IEnumerable<Variant> ModelNameVariants()
    {
        foreach (var name in new[] { "logevent", "item", "Logevent", "log_event", "logEvent" })
        {
            yield return new Variant($"item model named {name}", string.Empty, "    parameters: [skip, limit]\n    pagination: { strategy: offset, offset: skip, pageSize: limit }\n", 0) { ItemModel = name };
        }
    }

    [Fact]
    public void An_all_lowercase_model_name_is_rejected_by_the_spec_at_its_place_and_the_others_are_accepted()
    {
        foreach (var (variant, i) in ModelNameVariants().Select((v, i) => (v, i)))
        {
            var text = Contract(9000 + i, variant);
            var parsed = ContractReader.Parse(text, "/combo/names.events.yaml");
            if (variant.ItemModel.All(c => c is >= 'a' and <= 'z'))
            {
                var d = Assert.Single(parsed.Diagnostics, d => d.Severity == SpecSeverity.Error);
                Assert.Equal("EB1014", d.Id);
                Assert.Contains("CS8981", d.Message, StringComparison.Ordinal);
                Assert.Equal(variant.ItemModel + ":", text.Split('\n')[d.Location.StartLine - 1].Trim());
            }
            else
            {
                Assert.True(parsed.Success, variant.Name + ": " + string.Join("; ", parsed.Diagnostics));
            }
        }
    }

    [Fact]
    public void Every_contract_the_spec_accepts_compiles_without_errors_or_warnings()
    {
        var variants = ParameterVariants().Concat(CursorVariants()).Concat(SyncVariants()).Concat(AuthServerDefaultVariants()).Concat(NextLinkVariants()).Concat(ModelNameVariants()).ToList();
        var accepted = new List<(int Index, Variant Variant, string Text)>();
        var rejectedUnlocated = new List<string>();
        var rejections = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            var text = Contract(i, variants[i]);
            var parsed = ContractReader.Parse(text, $"/combo/c{i}.events.yaml");
            if (Environment.GetEnvironmentVariable("COMBO_DUMP") is { } dump && i == int.Parse(dump, System.Globalization.CultureInfo.InvariantCulture))
            {
                output.WriteLine(text);
                output.WriteLine(string.Join(Environment.NewLine, parsed.Diagnostics));
            }

            if (parsed.Success)
            {
                accepted.Add((i, variants[i], text));
            }
            else if (parsed.Diagnostics.Any(d => d.Id == "EB1000" || d.Location.StartLine < 1))
            {
                rejectedUnlocated.Add($"{variants[i].Name}: {string.Join("; ", parsed.Diagnostics)}");
            }

            foreach (var d in parsed.Diagnostics.Where(d => d.Severity == SpecSeverity.Error))
            {
                var key = d.Id + " " + System.Text.RegularExpressions.Regex.Replace(d.Message, "'[^']*'", "'…'");
                rejections[key] = rejections.GetValueOrDefault(key) + 1;
            }
        }

        output.WriteLine($"{variants.Count} combinations, {accepted.Count} accepted by the spec; rejections:");
        foreach (var (reason, count) in rejections.OrderByDescending(r => r.Value))
        {
            output.WriteLine($"  {count,4} {reason}");
        }

        Assert.Empty(rejectedUnlocated);
        Assert.True(accepted.Count >= 300, $"only {accepted.Count} of {variants.Count} combinations are valid contracts");

        var failures = new List<string>();
        foreach (var batch in accepted.Chunk(40))
        {
            var files = batch.Select(c => (AdditionalText)new InMemoryAdditionalText($"/combo/c{c.Index}.events.yaml", c.Text)).ToList();
            var (result, compilation) = GeneratorHarness.Run(files);
            foreach (var run in result.Results)
            {
                Assert.Null(run.Exception);
            }

            var generatorProblems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(generatorProblems.Count == 0, string.Join(Environment.NewLine, generatorProblems.Take(20)));
            foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning))
            {
                var file = d.Location.SourceTree?.FilePath ?? string.Empty;
                var name = int.TryParse(Path.GetFileName(file).Split('.')[0].TrimStart('c'), System.Globalization.CultureInfo.InvariantCulture, out var index)
                    ? accepted.First(a => a.Index == index).Variant.Name
                    : "the registry of the batch";
                var line = d.Location.SourceTree?.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim() ?? string.Empty;
                var entry = $"c{index} ({name}): {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} | {line}";

                failures.Add(entry);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} diagnostics:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Distinct().Take(40))}");
    }
}
