using System.Text.RegularExpressions;
using EventsBindings.Spec.Model;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// The purity rule: every fact about an API lives in its contract. The engine (spec, generator, runtime,
/// mock server, kit, CLI) names no API, parameter, field, header, enum value, envelope or mock prefix of
/// any contract in <c>contracts/</c>. The names are taken from the contracts themselves, so a new
/// contract extends the check without an edit here; the code is read without its comments (doc
/// comments may cite a contract as an example).
/// </summary>
public sealed partial class PurityTests(ITestOutputHelper output)
{
    /// <summary>The engine's source folders, relative to the repository root.</summary>
    private static readonly string[] EngineFolders = { "spec", "generator", "runtime", "mockserver", "kit", "cli" };

    /// <summary>
    /// Words that a contract uses as a wire or JSON name and that the engine uses for its own meaning.
    /// Each is a name of a format or protocol the engine speaks (JSON Schema, OpenAPI, HTTP, its own
    /// journal and diagnostics), so the engine naming it is no fact about an API.
    /// </summary>
    private static readonly Dictionary<string, string> GenericWords = new(StringComparer.Ordinal)
    {
        ["id"] = "JSON Schema $id / OpenAPI operationId parts and the mock journal's entry ids",
        ["type"] = "JSON Schema and OpenAPI 'type'",
        ["name"] = "OpenAPI parameter 'name' and WireMock mapping 'name'",
        ["version"] = "OpenAPI info.version",
        ["message"] = "the mock's own JSON bodies (admin API, 501) carry a message",
        ["data"] = "RFC 2397 data: URIs are not used; listed so a reviewer sees the decision: the engine must not use 'data' as an envelope",
        ["request"] = "WireMock mapping 'request' and the journal's request record",
        ["path"] = "WireMock/OpenAPI 'path' and the journal",
        ["status"] = "WireMock response 'status' and the journal",
        ["parameter"] = "the mock's 400/501 bodies name the offending parameter",
        ["code"] = "the mock's own error bodies",
        ["source"] = "JSON Schema / journal 'source'",
        ["description"] = "OpenAPI 'description'",
        ["default"] = "JSON Schema 'default'",
        ["format"] = "JSON Schema 'format'",
        ["items"] = "JSON Schema 'items'",
        ["headers"] = "WireMock/OpenAPI 'headers'",
        ["method"] = "WireMock 'method'",
        ["url"] = "WireMock 'url'",
        ["query"] = "the journal's query record",
        ["Authorization"] = "the HTTP Authorization header (RFC 9110): every header-carried scheme is written through it",
        ["Retry-After"] = "the HTTP Retry-After header (RFC 9110), which the runtime honours for every API",
        ["ip"] = "the journal's client address",
        ["host"] = "RFC 7239 Forwarded's 'host' parameter, which the mock reads behind a reverse proxy",
        ["result"] = "verify's JUnit/table output",
        ["error"] = "diagnostic and JUnit severity",
        ["target"] = "System.CommandLine / MSBuild vocabulary",
        ["client"] = "the journal's client record",
        ["detail"] = "RFC 9457 problem details",
        ["count"] = "the mock's own admin bodies",
        ["date"] = "JSON Schema 'date' format",
        ["limit"] = "the mock admin API's own journal paging (?limit=), as WireMock's",
        ["skip"] = "verify's JUnit/table status of a check that did not run",
        ["WARN"] = "verify's table status of a warning",
        ["after"] = "a local variable name in the generated export (after/cursor)",
        ["link"] = "the checkpoint's and the continuation token's own entry for a stored next link",
        ["reason"] = "the pipeline's own log and metric tag (why a request was retried)",
    };

    /// <summary>
    /// The contract format's own vocabulary (every key and enum value of contract.schema.json): the spec
    /// parser and the engine name them as the format's words, not as facts of an API.
    /// </summary>
    private static readonly Lazy<HashSet<string>> FormatWords = new(() =>
    {
        // The scalar type names are a pattern in the schema, so they are listed here.
        var words = new HashSet<string>(StringComparer.Ordinal) { "int32", "int64", "number", "boolean", "string", "date", "timestamp", "json" };
        using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", "contract.schema.json")));
        Collect(schema.RootElement, words);
        return words;

        static void Collect(System.Text.Json.JsonElement element, HashSet<string> words)
        {
            switch (element.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name is "properties" or "patternProperties" && property.Value.ValueKind == System.Text.Json.JsonValueKind.Object)
                        {
                            foreach (var key in property.Value.EnumerateObject())
                            {
                                words.Add(key.Name);
                            }
                        }

                        if (property.Name is "enum" or "const" or "required")
                        {
                            foreach (var value in property.Value.ValueKind == System.Text.Json.JsonValueKind.Array ? property.Value.EnumerateArray() : Enumerable.Repeat(property.Value, 1))
                            {
                                if (value.ValueKind == System.Text.Json.JsonValueKind.String)
                                {
                                    words.Add(value.GetString()!);
                                }
                            }
                        }

                        Collect(property.Value, words);
                    }

                    break;
                case System.Text.Json.JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, words);
                    }

                    break;
            }
        }
    });

    public static TheoryData<string> Contracts()
    {
        return new TheoryData<string>(TestFiles.All);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void The_engine_names_nothing_of_the_contract(string file)
    {
        var contract = TestFiles.Contract(file);
        var (apiWords, wireNames) = NamesOf(contract);
        Assert.NotEmpty(wireNames);

        var violations = new List<string>();
        foreach (var source in EngineSources())
        {
            var lines = File.ReadAllLines(source);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = WithoutComment(lines[i]);
                foreach (var word in apiWords)
                {
                    if (Regex.IsMatch(code, @"(?<![A-Za-z0-9])" + Regex.Escape(word) + @"(?![a-z0-9])", RegexOptions.IgnoreCase))
                    {
                        violations.Add($"{Relative(source)}:{i + 1}: names the API '{word}': {lines[i].Trim()}");
                    }
                }

                foreach (Match literal in StringLiteral().Matches(code))
                {
                    var text = literal.Groups["text"].Value;
                    foreach (var wire in wireNames)
                    {
                        if (text == wire || (IsDistinctive(wire) && text.Contains(wire, StringComparison.Ordinal)))
                        {
                            violations.Add($"{Relative(source)}:{i + 1}: names '{wire}' of {contract.Name}: {lines[i].Trim()}");
                        }
                    }
                }
            }
        }

        foreach (var violation in violations)
        {
            output.WriteLine(violation);
        }

        Assert.True(violations.Count == 0, $"{violations.Count} engine line(s) name facts of {file}; move them into the contract:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(40))}");
    }

    /// <summary>The names checked include a custom auth scheme, server variables and error codes (from the contract that has them).</summary>
    [Fact]
    public void Auth_scheme_values_server_variables_and_error_codes_are_collected()
    {
        var withAll = TestFiles.All.Select(TestFiles.Contract).Where(c => c.AuthSchemes.Any(a => a.AuthorizationScheme is not null) && c.Servers.Any(s => s.Variables.Count > 0)).ToList();
        Assert.NotEmpty(withAll);
        foreach (var contract in withAll)
        {
            var (_, wireNames) = NamesOf(contract);
            Assert.All(contract.AuthSchemes.Select(a => a.AuthorizationScheme).OfType<string>(), scheme => Assert.Contains(scheme, wireNames));
            Assert.All(contract.Servers.SelectMany(s => s.Variables).Select(v => v.Name), name => Assert.Contains(name, wireNames));
            Assert.All(contract.Endpoints.SelectMany(e => e.Parameters).Select(p => p.Semantics.ErrorCode).OfType<string>(), code => Assert.Contains(code, wireNames));
            Assert.Contains(wireNames, w => contract.Errors.Any(e => e.Body?.Contains("\"" + w + "\"", StringComparison.Ordinal) == true) && !contract.Models.Any(m => m.Fields.Any(f => f.JsonName == w)));
        }
    }

    /// <summary>The check itself can fail: a literal naming a contract's parameter is caught.</summary>
    [Fact]
    public void A_literal_naming_a_wire_name_is_a_violation()
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        var (_, wireNames) = NamesOf(contract);
        var line = WithoutComment("var skip = query[\"user_principal.user.email\"]; // user_email");
        var hits = StringLiteral().Matches(line).Select(m => m.Groups["text"].Value)
            .Where(text => wireNames.Any(w => text == w || (IsDistinctive(w) && text.Contains(w, StringComparison.Ordinal))))
            .ToList();
        Assert.Equal(new[] { "user_principal.user.email" }, hits);
        Assert.DoesNotContain("user_email", line, StringComparison.Ordinal);
    }

    /// <summary>API-level words (matched anywhere in code) and wire-level names (matched in string literals).</summary>
    private static (IReadOnlyList<string> ApiWords, IReadOnlyList<string> WireNames) NamesOf(ContractSpec contract)
    {
        var api = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { contract.Name, contract.Namespace.Split('.')[^1] };
        if (contract.Mock is { Prefix: { Length: > 1 } prefix })
        {
            api.Add(prefix.Trim('/').Split('/')[0]);
        }

        var wire = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in contract.Servers)
        {
            // The host without its template braces: a fixed host such as net.banyanops.com.
            var host = Regex.Match(server.Url, "^[a-z]+://(?<host>[^/{}]+)").Groups["host"].Value;
            if (host.Length > 0)
            {
                wire.Add(host);
            }
        }

        foreach (var server in contract.Servers)
        {
            // Template variables (yourOktaDomain), their defaults and allowed values.
            foreach (var variable in server.Variables)
            {
                wire.Add(variable.Name);
                Add(wire, variable.Default);
                foreach (var allowed in variable.Enum)
                {
                    wire.Add(allowed);
                }
            }
        }

        foreach (var scheme in contract.AuthSchemes)
        {
            Add(wire, scheme.Header);
            Add(wire, scheme.TokenField);
            Add(wire, scheme.AuthorizationScheme); // a custom Authorization scheme (SSWS)
        }

        foreach (var error in contract.Errors.Concat(contract.Endpoints.SelectMany(contract.ErrorsFor)))
        {
            // The string values of example error bodies (error codes such as E0000031, links, summaries).
            if (error.Body is { } body)
            {
                foreach (var value in StringValues(System.Text.Json.Nodes.JsonNode.Parse(body)))
                {
                    wire.Add(value);
                }
            }
        }

        foreach (var model in contract.Models)
        {
            foreach (var field in model.Fields)
            {
                wire.Add(field.JsonName);
            }
        }

        foreach (var e in contract.Enums)
        {
            foreach (var value in e.Values)
            {
                wire.Add(value.Value);
            }
        }

        foreach (var endpoint in contract.Endpoints)
        {
            Add(wire, endpoint.Response.Envelope);
            foreach (var parameter in endpoint.Parameters)
            {
                wire.Add(parameter.WireName);
                Add(wire, parameter.Semantics.ErrorCode); // the code of a malformed filter (E0000031)
            }

            foreach (var error in contract.ErrorsFor(endpoint))
            {
                foreach (var header in error.Headers)
                {
                    wire.Add(header.Name);
                }
            }
        }

        // Header-like values anywhere in the contract text (rate-limit headers, link headers): X-Foo-Bar.
        foreach (Match header in Regex.Matches(TestFiles.ContractText(FileOf(contract)), @"(?<=:\s*)[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+(?=\s*$|\s*[,}])", RegexOptions.Multiline))
        {
            wire.Add(header.Value);
        }

        wire.RemoveWhere(w => GenericWords.ContainsKey(w) || FormatWords.Value.Contains(w) || w.Length < 3);
        return (api.Where(a => a.Length >= 4).ToList(), wire.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Every string value of a JSON tree (keys are field names, collected from the models).</summary>
    private static IEnumerable<string> StringValues(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => StringValues(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(StringValues),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var text) => new[] { text },
        _ => Array.Empty<string>(),
    };

    private static string FileOf(ContractSpec contract) => TestFiles.All.First(f => TestFiles.Contract(f).Name == contract.Name);

    private static void Add(HashSet<string> set, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            set.Add(value);
        }
    }

    /// <summary>A name unlikely to occur inside an unrelated literal: it has a separator or inner capital.</summary>
    private static bool IsDistinctive(string name) =>
        name.Length >= 6 && (name.Contains('_') || name.Contains('-') || name.Contains('.') || name.Skip(1).Any(char.IsUpper));

    private static IEnumerable<string> EngineSources()
    {
        var root = RepositoryRoot();
        foreach (var folder in EngineFolders)
        {
            var path = Path.Combine(root, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (!relative.Contains("/obj/", StringComparison.Ordinal) && !relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    yield return file;
                }
            }
        }
    }

    private static string RepositoryRoot() => TestFiles.RepositoryRoot;

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot(), file).Replace('\\', '/');

    /// <summary>The line without a trailing // comment (one outside a string literal).</summary>
    private static string WithoutComment(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"' && (i == 0 || line[i - 1] != '\\'))
            {
                inString = !inString;
            }
            else if (!inString && c == '/' && i + 1 < line.Length && line[i + 1] == '/')
            {
                return line[..i];
            }
        }

        return line;
    }

    [GeneratedRegex("\"(?<text>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();
}
