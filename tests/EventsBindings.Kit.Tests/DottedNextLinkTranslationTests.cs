using System.Text.Json.Nodes;
using EventsBindings.Kit.Translation;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Tests;

/// <summary>
/// Issue 14: a next link in a body field whose name holds a dot (<c>['@odata.nextLink']</c>) is declared by the
/// translations as the one property named <c>@odata.nextLink</c> beside the items, not as <c>@odata</c> → <c>nextLink</c>.
/// </summary>
public class DottedNextLinkTranslationTests
{
    private static ContractSpec Contract()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "nextlink", "linked.events.yaml"))
            .Replace("nextLink: { field: links.next }", "nextLink: { field: \"['@odata.nextLink']\" }", StringComparison.Ordinal);
        var result = ContractReader.Parse(text, "linked.events.yaml");
        Assert.Empty(result.Diagnostics);
        return result.Contract!;
    }

    [Fact]
    public void The_json_schema_and_openapi_declare_the_property_named_odata_nextLink()
    {
        var contract = Contract();
        var feed = contract.FindEndpoint("Feed")!;

        var schema = JsonSchemaTranslator.ResponseSchema(contract, feed)!;
        var properties = schema["properties"]!.AsObject();
        Assert.True(properties.ContainsKey("@odata.nextLink"));
        Assert.False(properties.ContainsKey("@odata"));
        Assert.Equal("[\"string\",\"null\"]", properties["@odata.nextLink"]!["type"]!.ToJsonString());

        var openApi = JsonNode.Parse(OpenApiTranslator.ToJson(contract))!;
        var response = openApi["paths"]!["/feed"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        var declared = response["properties"]!.AsObject();
        Assert.True(declared.ContainsKey("@odata.nextLink"), response.ToJsonString());
        Assert.False(declared.ContainsKey("@odata"));
    }
}
