using EventsBindings.Generator.Model;
using EventsBindings.Generator.Parser;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// The emit model is a union per paging and sync strategy, built from the spec; a spec model it cannot hold is an
/// <see cref="EmitModelException"/> naming the endpoint and key (EB9003 at that key in the YAML), never a degraded emit.
/// </summary>
public sealed class EmitModelTests
{
    public static TheoryData<string> Contracts => new(Directory.GetFiles(GeneratorHarness.ContractsDirectory, "*.events.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Every_list_endpoint_gets_the_paging_and_sync_case_its_contract_declares(string file)
    {
        var contract = ContractReader.ParseFile(GeneratorHarness.ContractPath(file)).Contract!;
        var emit = EmitModelBuilder.Build(contract, "x");
        foreach (var endpoint in contract.Endpoints.Where(e => e.Response.Kind == Spec.Model.ResponseKind.List))
        {
            var e = emit.Endpoints.Single(x => x.Name == endpoint.Name);
            var expected = endpoint.Pagination?.Strategy switch
            {
                Spec.Model.PaginationStrategy.Offset => typeof(PagingEmit.Offset),
                Spec.Model.PaginationStrategy.Cursor => typeof(PagingEmit.Cursor),
                Spec.Model.PaginationStrategy.NextLink => typeof(PagingEmit.NextLink),
                _ => typeof(PagingEmit.Single),
            };
            Assert.IsType(expected, e.Paging);
            Assert.Equal(endpoint.Sync is null, e.Sync is null);
            if (e.Paging is PagingEmit.Offset { } offset && e.Sync is { } sync)
            {
                Assert.Equal(sync.Id, offset.Identity); // a repeated page is told by the sync's ids
            }
        }
    }

    [Fact]
    public void A_model_the_emitter_cannot_hold_is_an_error_naming_the_endpoint_and_key_and_the_key_is_located_in_the_yaml()
    {
        var path = GeneratorHarness.ContractPath("okta.events.yaml");
        var text = File.ReadAllText(path);
        var contract = ContractReader.Parse(text, path).Contract!;
        var logs = contract.Endpoints.Single(e => e.Pagination?.Strategy == Spec.Model.PaginationStrategy.NextLink);
        var broken = contract with
        {
            Endpoints = contract.Endpoints.Select(e => e == logs ? e with { Pagination = e.Pagination! with { NextLink = null } } : e).ToEquatableArray(),
        };

        var ex = Assert.Throws<EmitModelException>(() => EmitModelBuilder.Build(broken, "okta.events"));
        Assert.Equal(logs.Name, ex.Endpoint);
        Assert.Equal("pagination", ex.Key);
        Assert.Contains("next link", ex.Message, StringComparison.Ordinal);

        var at = ContractLocator.Endpoint(text, path, logs.Name, "pagination")!;
        Assert.Equal(path, at.File);
        var line = text.Split('\n')[at.StartLine - 1];
        Assert.Equal("pagination:", line.Substring(at.StartColumn - 1, "pagination:".Length));
        Assert.Null(ContractLocator.Endpoint(text, path, "NoSuchEndpoint"));
    }
}
