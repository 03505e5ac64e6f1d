using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// The case rules the mock and the kit share (ContractRules), on small contracts: a parameter, its semantics or
/// the filtered field's enum can each make matching case-insensitive, and nothing else does.
/// </summary>
public sealed class ContractRulesTests
{
    private const string Contract = """
        format: 1
        name: Rules
        namespace: EventsBindings.Tests.Rules
        title: Rules (test contract)
        version: "1"
        description: Case rules.
        servers:
          - { name: Prod, url: "https://example.com", default: true, description: The server. }
        auth:
          key: { kind: bearer, description: A token. }
        security: [key]
        parameters:
          loud: { type: string, semantics: { kind: equals, field: loud } }
          quiet: { type: string, semantics: { kind: equals, field: quiet } }
          text: { type: string, semantics: { kind: equals, field: text } }
          textCi: { type: string, caseInsensitive: true, semantics: { kind: equals, field: text } }
          textSemCi: { type: string, semantics: { kind: equals, field: text, caseInsensitive: true } }
          sort: { type: Loud, semantics: { kind: sortOrder, field: id, ascending: A, descending: B } }
          sortQuiet: { type: Quiet, semantics: { kind: sortOrder, field: id, ascending: A, descending: B } }
        enums:
          Loud:
            type: string
            caseInsensitive: true
            values: [{ value: A, csharp: A }, { value: B, csharp: B }]
          Quiet:
            type: string
            values: [{ value: A, csharp: A }, { value: B, csharp: B }]
        models:
          Item:
            fields:
              - { json: id, type: int64 }
              - { json: loud, type: Loud }
              - { json: quiet, type: Quiet }
              - { json: text, type: string }
        endpoints:
          - name: Items
            summary: Lists items.
            method: GET
            path: /items
            parameters: [loud, quiet, text, textCi, textSemCi, sort, sortQuiet]
            response: { kind: list, model: Item }
            order: { field: id, direction: ascending }
        """;

    [Theory]
    [InlineData("loud", true)]
    [InlineData("quiet", false)]
    [InlineData("text", false)]
    [InlineData("textCi", true)]
    [InlineData("textSemCi", true)]
    public void A_filter_ignores_case_when_the_parameter_its_semantics_or_the_fields_enum_says_so(string parameter, bool expected)
    {
        var (contract, endpoint) = Parse();
        var p = endpoint.FindParameter(parameter)!;
        var fieldType = contract.ResolvePath(contract.FindModel("Item")!, p.Semantics.Field!)!.Last().Type;
        Assert.Equal(expected, contract.MatchesIgnoringCase(p, fieldType));
    }

    [Theory]
    [InlineData("sort", true)]
    [InlineData("sortQuiet", false)]
    public void An_enum_value_is_accepted_without_regard_to_case_when_its_enum_says_so(string parameter, bool expected)
    {
        var (contract, endpoint) = Parse();
        var p = endpoint.FindParameter(parameter)!;
        Assert.Equal(expected, contract.AcceptsIgnoringCase(p));
    }

    private static (ContractSpec Contract, EndpointSpec Endpoint) Parse()
    {
        var result = ContractReader.Parse(Contract, "rules.events.yaml");
        Assert.True(result.Contract is not null, string.Join("\n", result.Diagnostics));
        return (result.Contract!, result.Contract!.FindEndpoint("Items")!);
    }
}
