using System.Text.Json.Nodes;
using EventsBindings.Kit.Translation;
using EventsBindings.Spec.Model;
using NJsonSchema;

namespace EventsBindings.Kit.Tests;

public class JsonSchemaTranslationTests
{
    private static JsonSchema Load(JsonObject schema) => JsonSchema.FromJsonAsync(schema.ToJsonString()).GetAwaiter().GetResult();

    private static void AssertValid(JsonSchema schema, string json, string what)
    {
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, what + ":\n" + string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind} {e.Property}")));
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public void Response_schemas_accept_every_documented_example(string name)
    {
        var contract = Contracts.Named(name);
        var checkedExamples = 0;
        foreach (var endpoint in contract.Endpoints)
        {
            var schema = Load(JsonSchemaTranslator.ResponseSchema(contract, endpoint)!);
            foreach (var example in endpoint.Examples.Where(e => e.Status == 200))
            {
                AssertValid(schema, example.Body, $"{endpoint.Name}/{example.Name}");
                checkedExamples++;
            }
        }

        Assert.True(checkedExamples > 0);
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public void Error_bodies_match_their_model_schema(string name)
    {
        var contract = Contracts.Named(name);
        foreach (var error in contract.Errors.Where(e => e.Model is not null && e.Body is not null))
        {
            AssertValid(Load(JsonSchemaTranslator.ModelSchema(contract, error.Model!)), error.Body!, $"error {error.Status}");
        }
    }

    [Fact]
    public void Model_schema_accepts_the_recorded_Banyan_events()
    {
        var contract = Contracts.Named("Banyan");
        var schema = Load(JsonSchemaTranslator.ModelSchema(contract, "Event"));
        foreach (var file in new[] { "event_v2.json", "event_v2_no_user.json", "event_v2_null_user.json" })
        {
            AssertValid(schema, File.ReadAllText(Contracts.Fixture("banyan", file)), file);
        }

        var array = JsonNode.Parse(File.ReadAllText(Contracts.Fixture("banyan", "events_v2.json")))!.AsArray();
        Assert.NotEmpty(array);
        foreach (var item in array)
        {
            AssertValid(schema, item!.ToJsonString(), "events_v2.json item");
        }
    }

    [Fact]
    public void Wrong_types_and_nulls_are_rejected_but_unknown_enum_values_and_properties_are_not()
    {
        var contract = Contracts.Named("AdminByRequest");
        var schema = Load(JsonSchemaTranslator.ModelSchema(contract, "Event"));
        var example = JsonNode.Parse(contract.FindEndpoint("Event")!.Examples[0].Body)!.AsObject();
        AssertValid(schema, example.ToJsonString(), "the example itself");

        var wrongType = example.DeepClone().AsObject();
        wrongType["id"] = "53820480";
        Assert.NotEmpty(schema.Validate(wrongType.ToJsonString()));

        var nullNotNullable = example.DeepClone().AsObject();
        nullNotNullable["rollback"] = null;
        Assert.NotEmpty(schema.Validate(nullNotNullable.ToJsonString()));

        var missing = example.DeepClone().AsObject();
        missing.Remove("eventTimeUTC");
        Assert.NotEmpty(schema.Validate(missing.ToJsonString()));

        var badTimestamp = example.DeepClone().AsObject();
        badTimestamp["eventTimeUTC"] = "27/01/2022";
        Assert.NotEmpty(schema.Validate(badTimestamp.ToJsonString()));

        var nestedWrong = example.DeepClone().AsObject();
        nestedWrong["application"]!["file"] = 42;
        Assert.NotEmpty(schema.Validate(nestedWrong.ToJsonString()));

        var open = example.DeepClone().AsObject();
        open["eventCode"] = 9999;
        open["vendorAddedThis"] = "kept";
        AssertValid(schema, open.ToJsonString(), "unknown enum value and unknown property");
    }

    [Fact]
    public void Optional_fields_are_not_required_and_timestamps_follow_their_encoding()
    {
        var contract = Contracts.Named("Banyan");
        var schema = JsonSchemaTranslator.ModelSchema(contract, "Event");
        var required = schema["required"]!.AsArray().Select(n => (string)n!).ToList();
        var model = contract.FindModel("Event")!;
        foreach (var field in model.Fields)
        {
            Assert.Equal(!field.Optional, required.Contains(field.JsonName));
        }

        var created = schema["properties"]!["created_at"]!;
        Assert.Equal("integer", (string?)created["type"]);
        Assert.Equal("epochMillis", (string?)created["x-encoding"]);
        Assert.True((bool)schema["additionalProperties"]!);

        var abr = JsonSchemaTranslator.ModelSchema(Contracts.Named("AdminByRequest"), "Event");
        var local = abr["properties"]!["eventTime"]!;
        Assert.Equal("string", (string?)local["type"]);
        Assert.Equal(JsonTypes.IsoWithoutOffsetPattern, (string?)local["pattern"]);
        var nullable = abr["properties"]!["eventText"]!["type"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.Equal(new[] { "string", "null" }, nullable);
        var code = abr["definitions"]!["EventCode"]!;
        Assert.Equal("integer", (string?)code["type"]);
        Assert.Null(code["enum"]);
        Assert.Contains(code["x-known-values"]!.AsArray(), v => (long)v!["value"]! == 40);
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public async Task Translation_writes_a_schema_per_model_and_per_endpoint(string name)
    {
        var contract = Contracts.Named(name);
        var dir = Contracts.TempDir("jsonschema");
        var written = ContractTranslations.WriteJsonSchema(new[] { contract }, dir);
        Assert.Equal(contract.Models.Count + contract.Endpoints.Count, written.Count);
        foreach (var file in written)
        {
            var schema = await JsonSchema.FromFileAsync(file);
            Assert.NotNull(schema);
        }
    }
}
