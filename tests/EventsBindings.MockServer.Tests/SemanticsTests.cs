using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>
/// For every filtering parameter of every list and count endpoint of every contract: the server's
/// answer equals the oracle's reading of the contract over the whole dataset — every returned item
/// satisfies the filter, and nothing that satisfies it is missing.
/// </summary>
[Collection(MockCollection.Name)]
public sealed class SemanticsTests
{
    /// <summary>Parameters that lift default windows so that the universe is the whole dataset (API knowledge lives in tests only).</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> UniverseParameters = new()
    {
        ["AdminByRequest"] = new() { ["startdate"] = "1970-01-01" },
    };

    private readonly MockServerFixture _fx;

    public SemanticsTests(MockServerFixture fx) => _fx = fx;

    public static IEnumerable<object[]> FilterParameters()
    {
        foreach (var contract in Contracts.Specs)
        {
            foreach (var endpoint in contract.Endpoints.Where(e => e.Response.Kind is ResponseKind.List or ResponseKind.Count))
            {
                foreach (var p in endpoint.Parameters.Where(p => Oracle.IsFilter(p.Semantics.Kind)))
                {
                    yield return new object[] { contract.Name, endpoint.Name, p.WireName };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(FilterParameters))]
    public async Task Filter_returns_exactly_the_items_that_satisfy_it(string api, string endpointName, string parameter)
    {
        var contract = Contracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var p = endpoint.FindParameter(parameter)!;
        var universe = await UniverseAsync(contract, endpoint);
        Assert.NotEmpty(universe);
        var value = ChooseValue(contract, endpoint, p, universe);

        var query = new Dictionary<string, string>();
        var pathValues = new Dictionary<string, string>();
        (p.In == ParameterLocation.Path ? pathValues : query)[p.WireName] = value;
        foreach (var other in endpoint.Parameters.Where(o => o.In == ParameterLocation.Path && o.WireName != p.WireName))
        {
            pathValues[other.WireName] = ChooseValue(contract, endpoint, other, universe);
        }

        var expected = universe.Where(i => Oracle.Satisfies(contract, endpoint, p, value, i, MockServerFixture.Now) && Defaults(contract, endpoint, p, i)
            && pathValues.All(kv => Oracle.Satisfies(contract, endpoint, endpoint.FindParameter(kv.Key)!, kv.Value, i, MockServerFixture.Now))).ToList();

        if (endpoint.Response.Kind == ResponseKind.Count)
        {
            var (status, body, _) = await _fx.GetAsync(api, endpoint.Path + "?" + Walker.Query(query));
            Assert.Equal(200, status);
            var count = Walker.Payload(endpoint, body).GetInt64();
            Assert.Equal(Math.Min(expected.Count, endpoint.Response.Cap ?? long.MaxValue), count);
            return;
        }

        var actual = await Walker.AllAsync(_fx, contract, endpoint, query, pathValues: pathValues);
        foreach (var item in actual)
        {
            Assert.True(Oracle.Satisfies(contract, endpoint, p, value, item, MockServerFixture.Now), $"{parameter}={value}: {item.GetRawText()}");
        }

        var expectedIds = expected.Select(i => Walker.Id(i, contract)).OrderBy(x => x, StringComparer.Ordinal).ToList();
        var actualIds = actual.Select(i => Walker.Id(i, contract)).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedIds, actualIds);
        Assert.True(expected.Count > 0 || universe.Count < 10, $"{parameter}={value} selects nothing: a weak test.");
    }

    /// <summary>The defaults that filter (such as a default window) hold unless this parameter makes them unused.</summary>
    private static bool Defaults(ContractSpec contract, EndpointSpec endpoint, ParameterSpec given, JsonElement item) =>
        endpoint.Parameters
            .Where(q => q.WireName != given.WireName && q.Default is not null && Oracle.IsFilter(q.Semantics.Kind) && !q.IgnoredWhen.Contains(given.WireName))
            .All(q => Oracle.Satisfies(contract, endpoint, q, q.Default!, item, MockServerFixture.Now));

    private async Task<List<JsonElement>> UniverseAsync(ContractSpec contract, EndpointSpec endpoint)
    {
        var source = endpoint.Response.Kind == ResponseKind.List && !endpoint.Path.Contains('{', StringComparison.Ordinal)
            ? endpoint
            : contract.Endpoints.First(e => e.Response.Kind == ResponseKind.List && e.Response.Model == contract.Mock!.DatasetModel && !e.Path.Contains('{', StringComparison.Ordinal));
        var parameters = UniverseParameters.TryGetValue(contract.Name, out var u)
            ? u.Where(kv => source.FindParameter(kv.Key) is not null).ToDictionary(kv => kv.Key, kv => kv.Value)
            : new Dictionary<string, string>();
        return await Walker.AllAsync(_fx, contract, source, parameters);
    }

    internal static string ChooseValue(ContractSpec contract, EndpointSpec endpoint, ParameterSpec p, List<JsonElement> universe)
    {
        var s = p.Semantics;
        var model = contract.FindModel(endpoint.Response.Model ?? contract.Mock!.DatasetModel!) ?? contract.FindModel(contract.Mock!.DatasetModel!)!;
        var field = contract.ResolvePath(model, s.Field!)!.Last();
        var present = universe.Select(i => Oracle.At(i, s.Field!)).Where(v => v is { ValueKind: not JsonValueKind.Null }).Select(v => v!.Value).ToList();
        switch (s.Kind)
        {
            case SemanticsKind.EqualTo:
            case SemanticsKind.OneOf:
                var common = present.Select(v => Oracle.Text(v)!).GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
                if (s.Kind == SemanticsKind.OneOf && p.Separator is { } sep && common.Count > 1)
                {
                    return common[0] + sep + common[1];
                }

                var first = common[0];
                // Exercise case-insensitive matching with a different case.
                return s.CaseInsensitive || p.CaseInsensitive ? (first.ToUpperInvariant() != first ? first.ToUpperInvariant() : first.ToLowerInvariant()) : first;
            case SemanticsKind.AtLeast:
                var e = contract.FindEnum(field.Type.Name!)!;
                return e.Values[e.Values.Count / 2].Value;
            case SemanticsKind.RelativeWindow:
                return "7";
            default:
                if (field.Type.Kind == TypeKind.Timestamp)
                {
                    var instants = present.Select(v => Oracle.Instant(v, field.Type.Encoding)!.Value).Order().ToList();
                    var median = instants[instants.Count / 2];
                    return p.Type.Kind == TypeKind.Date
                        ? median.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                        : median.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                }

                var numbers = present.Select(v => v.GetInt64()).Order().ToList();
                return numbers[numbers.Count / 2].ToString(CultureInfo.InvariantCulture);
        }
    }
}
