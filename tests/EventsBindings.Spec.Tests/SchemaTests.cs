using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Parsing;
using EventsBindings.Spec.Yaml;
using NJsonSchema;
using NJsonSchema.Validation;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// <c>contracts/contract.schema.json</c>, the schema editors validate against, accepts both contracts
/// and knows exactly the keys the parser accepts: each of the parser's key tables
/// (<see cref="ContractKeys"/>, from which every mapping of the parser is read) equals the
/// properties of the schema object it is paired with, so that neither can drift from the other.
/// </summary>
public sealed partial class SchemaTests
{
    private static readonly Lazy<string> SchemaText = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", "contract.schema.json")));

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromJsonAsync(SchemaText.Value).GetAwaiter().GetResult());

    [GeneratedRegex(@"new MapReader\((?<args>[^;]*)\);")]
    private static partial Regex MapReaderConstruction();

    public static TheoryData<string> Contracts => new(TestFiles.All);

    [Theory]
    [MemberData(nameof(Contracts))]
    public void The_contract_validates_against_the_schema(string file)
    {
        var json = YamlJson.ToJson(TestFiles.ContractText(file), file);
        var errors = Schema.Value.Validate(json.ToJsonString());
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind} ({e.Property})")));
    }

    [Fact]
    public void The_schema_rejects_a_key_the_parser_rejects()
    {
        var json = YamlJson.ToJson(TestFiles.ContractText(TestFiles.Abr), TestFiles.Abr).AsObject();
        json["endpoints"]![0]!.AsObject()["semantix"] = "x";
        var errors = Schema.Value.Validate(json.ToJsonString());
        Assert.Contains(nameof(ValidationErrorKind.NoAdditionalPropertiesAllowed) + ": #/endpoints[0].semantix", string.Join(Environment.NewLine, errors.Select(e => e.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_table_of_the_parser_is_paired_with_a_schema_object()
    {
        var tables = typeof(ContractKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string[]))
            .Select(f => (Name: f.Name, Keys: (string[])f.GetValue(null)!))
            .ToList();
        Assert.True(tables.Count >= 20, $"{tables.Count} tables");
        Assert.All(tables, t => Assert.True(ContractKeys.All.Any(p => ReferenceEquals(p.Keys, t.Keys)), $"ContractKeys.{t.Name} is paired with no schema object in ContractKeys.All"));
    }

    [Fact]
    public void Every_mapping_the_parser_reads_takes_its_keys_from_a_table()
    {
        var sources = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "parser-sources"), "*.cs");
        Assert.NotEmpty(sources);
        var constructions = sources
            .SelectMany(path => MapReaderConstruction().Matches(File.ReadAllText(path)).Select(m => (File: Path.GetFileName(path), Args: m.Groups["args"].Value)))
            .ToList();
        Assert.True(constructions.Count >= 20, $"{constructions.Count} MapReader constructions found");
        Assert.All(constructions, c => Assert.Matches(@",\s*ContractKeys\.\w+$", c.Args));
    }

    public static TheoryData<string> KeyTables()
    {
        var data = new TheoryData<string>();
        foreach (var (pointer, _) in ContractKeys.All)
        {
            data.Add(pointer);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeyTables))]
    public void The_schema_object_has_exactly_the_keys_the_parser_accepts(string pointer)
    {
        var keys = ContractKeys.All.Single(p => p.SchemaPointer == pointer).Keys;
        var node = Resolve(JsonNode.Parse(SchemaText.Value)!, pointer);
        var properties = node["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(keys.Order(StringComparer.Ordinal), properties.Order(StringComparer.Ordinal));
        Assert.False(node["additionalProperties"]?.GetValue<bool>() ?? true, $"{pointer} must not allow other properties (the parser rejects them)");
    }

    public static TheoryData<int> ReadmeSnippets()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Snippets().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Every_section_of_the_format_reference_has_a_yaml_example()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", "README.md"));
        var sections = Regex.Split(readme, @"^##+ ", RegexOptions.Multiline).Skip(1)
            .Select(section => (Title: section.Substring(0, section.IndexOf('\n', StringComparison.Ordinal)).Trim(), Text: section))
            .Where(section => section.Title is not ("Conventions" or "Diagnostics"))
            .ToList();
        Assert.True(sections.Count >= 12, $"{sections.Count} sections");
        Assert.All(sections, section => Assert.True(section.Text.Contains("```yaml", StringComparison.Ordinal), $"section '{section.Title}' has no yaml example"));
    }

    /// <summary>
    /// Each yaml snippet of contracts/README.md is valid YAML and valid against the schema: a
    /// top-level fragment against the contract object, an indented endpoint fragment (pagination,
    /// sync, examples) against the endpoint object, in both cases without their required keys.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReadmeSnippets))]
    public async Task The_yaml_examples_of_the_format_reference_are_valid(int index)
    {
        var snippet = Snippets()[index];
        if (snippet.Split('\n').All(line => line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
        {
            return; // the modeline alone
        }

        var json = YamlJson.ToJson(snippet, $"README snippet {index}").AsObject();
        var root = JsonNode.Parse(SchemaText.Value)!.AsObject();
        var host = new[] { "#", "#/definitions/endpoint" }
            .Select(pointer => Resolve(root, pointer))
            .FirstOrDefault(candidate => json.All(p => candidate["properties"]!.AsObject().ContainsKey(p.Key)));
        Assert.True(host is not null, $"snippet {index} mixes keys of no single object: {string.Join(", ", json.Select(p => p.Key))}\n{snippet}");

        var fragmentSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = host["properties"]!.DeepClone(),
            ["additionalProperties"] = false,
            ["definitions"] = root["definitions"]!.DeepClone(),
        };
        var schema = await JsonSchema.FromJsonAsync(fragmentSchema.ToJsonString());
        var errors = schema.Validate(json.ToJsonString());
        Assert.True(errors.Count == 0, snippet + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => e.ToString())));
    }

    private static List<string> Snippets()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", "README.md"));
        return Regex.Matches(readme, @"^```yaml\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => m.Groups["body"].Value)
            .ToList();
    }

    private static JsonNode Resolve(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var part in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonArray array ? array[int.Parse(part, CultureInfo.InvariantCulture)]! : node[part] ?? throw new InvalidOperationException($"{pointer}: no '{part}' in the schema");
        }

        return node;
    }
}

/// <summary>
/// YAML to JSON through the spec library's own YAML reader, with YAML 1.2 core-schema typing of
/// plain scalars (null, booleans, integers, floats); quoted and block scalars stay strings.
/// </summary>
internal static partial class YamlJson
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    public static JsonNode ToJson(string yaml, string file)
    {
        var diagnostics = new List<SpecDiagnostic>();
        var root = YamlTree.Parse(yaml, file, diagnostics);
        Assert.True(diagnostics.Count == 0, string.Join(Environment.NewLine, diagnostics));
        return Convert(root) ?? throw new InvalidOperationException($"{file} holds no YAML document");
    }

    private static JsonNode? Convert(YNode? node) => node switch
    {
        null => null,
        YMapping mapping => new JsonObject(mapping.Entries.Select(e => KeyValuePair.Create(e.Key.Value, Convert(e.Value)))),
        YSequence sequence => new JsonArray(sequence.Items.Select(Convert).ToArray()),
        YScalar scalar when scalar.IsNull => null,
        YScalar scalar when scalar.Style != YamlDotNet.Core.ScalarStyle.Plain => JsonValue.Create(scalar.Value),
        YScalar scalar when scalar.Value is "true" or "True" or "TRUE" => JsonValue.Create(true),
        YScalar scalar when scalar.Value is "false" or "False" or "FALSE" => JsonValue.Create(false),
        YScalar scalar when Integer().IsMatch(scalar.Value) && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        YScalar scalar when Float().IsMatch(scalar.Value) => JsonValue.Create(double.Parse(scalar.Value, CultureInfo.InvariantCulture)),
        YScalar scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected node {node.KindName}"),
    };
}
