using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Filtering.Tests;

/// <summary>
/// A mock serving every contract of <c>contracts/</c> plus the test contract <c>syslog.events.yaml</c>, with the
/// repository's fixed clock: the contract tests below run over every scim and keywords parameter of any of them.
/// </summary>
public sealed class AllContractsFixture : TestMockServerFixture, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("filter-contracts-").FullName;

    public AllContractsFixture()
    {
        foreach (var file in Directory.GetFiles(TestContracts.ContractsDirectory, "*.events.yaml").Append(SysLogFile))
        {
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
        }

        Options.ContractsDirectory = _dir;
        Options.HotReload = false;
    }

    public static string SysLogFile => Path.Combine(AppContext.BaseDirectory, "filter", "syslog.events.yaml");

    /// <summary>The contracts served: those of the repository and the test contract.</summary>
    public static IReadOnlyList<ContractSpec> Contracts { get; } =
        TestContracts.Specs.Append(ContractReader.ParseFile(SysLogFile).Contract!).ToList();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>
/// For every scim and keywords parameter of every served contract: filters and keyword queries made from values
/// seen in the data (eq on an enum, sw and co on text, gt and lt on a timestamp, pr, and, or, not, parentheses)
/// return exactly what the oracle's independent reading selects from the whole dataset; malformed filters are a
/// 400 naming the parameter.
/// </summary>
public sealed class ContractFilterTests(AllContractsFixture fx) : IClassFixture<AllContractsFixture>
{
    public static TheoryData<string, string, string> Parameters(SemanticsKind kind)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var contract in AllContractsFixture.Contracts)
        {
            foreach (var endpoint in contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal)))
            {
                foreach (var p in endpoint.Parameters.Where(p => p.Semantics.Kind == kind))
                {
                    data.Add(contract.Name, endpoint.Name, p.WireName);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string, string> ScimParameters() => Parameters(SemanticsKind.Scim);

    public static TheoryData<string, string, string> KeywordParameters() => Parameters(SemanticsKind.Keywords);

    private static (ContractSpec Contract, EndpointSpec Endpoint, ParameterSpec Parameter, ModelSpec Model) Find(string api, string endpointName, string parameter)
    {
        var contract = AllContractsFixture.Contracts.Single(c => c.Name == api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        return (contract, endpoint, endpoint.FindParameter(parameter)!, contract.FindModel(endpoint.Response.Model!)!);
    }

    [Theory]
    [MemberData(nameof(ScimParameters))]
    public async Task Filters_made_from_the_data_return_exactly_what_the_oracle_selects(string api, string endpointName, string parameter)
    {
        var (contract, endpoint, p, model) = Find(api, endpointName, parameter);
        var universe = await Universe.FetchAsync(fx, contract, endpoint);
        var expressions = ScimOracle.Expressions(contract, model, p.Semantics, universe);
        Assert.True(expressions.Count >= 3, $"only {expressions.Count} filters could be made from the data");

        foreach (var (name, filter) in expressions)
        {
            var wire = Universe.Parameters(endpoint);
            wire[p.WireName] = filter;
            var expected = Universe.Expected(contract, endpoint, wire, universe, TestMockServerFixture.Now).Select(i => Walker.Id(i, contract)).ToList();
            var actual = (await Walker.AllAsync(fx, contract, endpoint, wire)).Select(i => Walker.Id(i, contract)).ToList();
            Assert.True(expected.Count > 0 || name.StartsWith("and-or", StringComparison.Ordinal), $"{name}: {filter} selects nothing");
            Assert.True(expected.SequenceEqual(actual), $"{name}: {filter}: expected {expected.Count} items, the mock answered {actual.Count}");
        }
    }

    /// <summary>
    /// Two readings of which paths a parameter names and which match without regard to case: the oracle's own walk
    /// of the contract's models and the spec's <c>FilterPaths</c> (what the mock, the kit and the generator use).
    /// </summary>
    [Theory]
    [MemberData(nameof(ScimParameters))]
    [MemberData(nameof(KeywordParameters))]
    public void The_oracle_and_the_spec_read_the_same_attribute_paths(string api, string endpointName, string parameter)
    {
        var (contract, _, p, model) = Find(api, endpointName, parameter);
        var oracle = ScimOracle.Paths(contract, model, p.Semantics).Select(a => (a.Path, a.Type, a.IgnoreCase, a.Multi)).ToList();
        var spec = FilterPaths.For(contract, model, p.Semantics).Select(a => (a.Path, a.Type, IgnoreCase: a.CaseInsensitive, a.Multi)).ToList();
        Assert.NotEmpty(oracle);
        Assert.Equal(spec, oracle);
    }

    [Theory]
    [MemberData(nameof(ScimParameters))]
    public async Task Malformed_filters_are_a_400_naming_the_parameter(string api, string endpointName, string parameter)
    {
        var (contract, endpoint, p, model) = Find(api, endpointName, parameter);
        var attribute = ScimOracle.Paths(contract, model, p.Semantics)[0].Path;
        foreach (var bad in new[] { attribute + " eq", attribute + " equals \"x\"", "(" + attribute + " pr", "no_such_attribute_x eq \"x\"", attribute + " eq \"unclosed" })
        {
            var (status, body, _) = await fx.GetAsync(contract.Name, Walker.PathOf(endpoint, new Dictionary<string, string>()) + "?" + Walker.Query(new[] { KeyValuePair.Create(p.WireName, bad) }));
            Assert.True(status == 400, $"{bad}: {status} {body}");
            Assert.Contains(p.WireName, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(KeywordParameters))]
    public async Task Keyword_queries_made_from_the_data_return_exactly_what_the_oracle_selects(string api, string endpointName, string parameter)
    {
        var (contract, endpoint, p, model) = Find(api, endpointName, parameter);
        var universe = await Universe.FetchAsync(fx, contract, endpoint);
        var queries = ScimOracle.KeywordQueries(contract, model, p.Semantics, universe);
        Assert.NotEmpty(queries);

        foreach (var q in queries)
        {
            var wire = Universe.Parameters(endpoint);
            wire[p.WireName] = q;
            var expected = Universe.Expected(contract, endpoint, wire, universe, TestMockServerFixture.Now).Select(i => Walker.Id(i, contract)).ToList();
            var actual = (await Walker.AllAsync(fx, contract, endpoint, wire)).Select(i => Walker.Id(i, contract)).ToList();
            Assert.NotEmpty(expected);
            Assert.True(expected.SequenceEqual(actual), $"q={q}: expected {expected.Count} items, the mock answered {actual.Count}");
        }
    }
}
