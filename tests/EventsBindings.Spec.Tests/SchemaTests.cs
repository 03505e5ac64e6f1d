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

    public static TheoryData<string> Contracts => new() { TestFiles.Abr, TestFiles.Banyan };

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
