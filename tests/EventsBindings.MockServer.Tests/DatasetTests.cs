using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>
/// The synthetic dataset covers what the contract lets a client filter on: every enum value of every
/// filterable enum field, several values of every equality filter, timestamps over recent days
/// relative to the server's "now", and increasing ids and times. Driven by the contracts.
/// </summary>
[Collection(MockCollection.Name)]
public sealed class DatasetTests
{
    private readonly TestMockServerFixture _fx;

    public DatasetTests(TestMockServerFixture fx) => _fx = fx;

    public static TheoryData<string> Apis()
    {
        var data = new TheoryData<string>();
        foreach (var contract in TestContracts.Specs.Where(c => c.Mock?.DatasetModel is not null))
        {
            data.Add(contract.Name);
        }

        return data;
    }

    /// <summary>The filter fields of the contract's endpoints that are fields of the dataset model, with the parameters that filter on them.</summary>
    private static List<(string Path, FieldSpec Field, List<ParameterSpec> Parameters)> FilterFields(ContractSpec contract)
    {
        var model = contract.FindModel(contract.Mock!.DatasetModel!)!;
        var parameters = contract.Endpoints.SelectMany(e => e.Parameters).ToList();
        // A filter expression parameter (scim) filters every attribute path it may name; paths across
        // arrays are left out (an item matches when any element does: no one value per item to count).
        var byExpression = parameters
            .Where(p => p.Semantics.Kind == SemanticsKind.Scim)
            .SelectMany(p => FilterPaths.For(contract, model, p.Semantics).Where(a => !a.Multi).Select(a => (Field: a.Path, Parameter: p)));
        return parameters
            .Where(p => Oracle.IsFilter(p.Semantics.Kind) && p.Semantics.Field is not null)
            .Select(p => (Field: p.Semantics.Field!, Parameter: p))
            .Concat(byExpression)
            .Where(f => contract.ResolvePath(model, f.Field) is not null)
            .GroupBy(f => f.Field, StringComparer.Ordinal)
            .Select(g => (g.Key, contract.ResolvePath(model, g.Key)!.Last(), g.Select(f => f.Parameter).ToList()))
            .ToList();
    }

    /// <summary>The APIs with an equality filter (equalTo or oneOf) on a field of the dataset model.</summary>
    public static TheoryData<string> ApisWithEqualityFilters()
    {
        var data = new TheoryData<string>();
        foreach (var contract in TestContracts.Specs.Where(c => c.Mock?.DatasetModel is not null
            && FilterFields(c).Any(f => f.Parameters.Any(p => p.Semantics.Kind is SemanticsKind.EqualTo or SemanticsKind.OneOf))))
        {
            data.Add(contract.Name);
        }

        return data;
    }

    private async Task<(ContractSpec Contract, List<JsonElement> Items)> DatasetAsync(string api)
    {
        var contract = TestContracts.Get(api);
        var source = contract.Endpoints.First(e => e.Response.Kind == ResponseKind.List && e.Response.Model == contract.Mock!.DatasetModel && !e.Path.Contains('{', StringComparison.Ordinal));
        var items = await Universe.FetchAsync(_fx, contract, source);
        Assert.NotEmpty(items);
        return (contract, items);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Every_value_of_every_filterable_enum_field_occurs_unless_its_rate_is_zero(string api)
    {
        var (contract, items) = await DatasetAsync(api);
        var enumFields = FilterFields(contract).Where(f => f.Field.Type.Kind == TypeKind.Enum).ToList();
        Assert.NotEmpty(enumFields);
        foreach (var (path, field, _) in enumFields)
        {
            var e = contract.FindEnum(field.Type.Name!)!;
            var settings = contract.Mock!.FindEnum(e.Name);
            var seen = items.Select(i => Oracle.Text(Oracle.At(i, path))).OfType<string>().ToHashSet(e.CaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var missing = e.Values.Select(v => v.Value).Where(v => settings?.RateOf(v) is not 0 && !seen.Contains(v)).ToList();
            Assert.True(missing.Count == 0, $"{api}.{path} ({e.Name}) never takes: {string.Join(", ", missing)}");

            // mock.enums: a rate of 0 keeps a value out of the dataset, and an unknownRate of 0 keeps out unlisted values.
            var never = e.Values.Select(v => v.Value).Where(v => settings?.RateOf(v) is 0 && seen.Contains(v)).ToList();
            Assert.True(never.Count == 0, $"{api}.{path} ({e.Name}) takes values whose mock rate is 0: {string.Join(", ", never)}");
            if ((settings?.UnknownRate ?? 0) == 0)
            {
                var unlisted = seen.Where(v => e.IndexOf(v) < 0).ToList();
                Assert.True(unlisted.Count == 0, $"{api}.{path} ({e.Name}) takes values the enum does not list: {string.Join(", ", unlisted)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ApisWithEqualityFilters))]
    public async Task Every_equality_filter_field_takes_several_values(string api)
    {
        var (contract, items) = await DatasetAsync(api);
        var equalityFields = FilterFields(contract)
            .Where(f => f.Field.Type.Kind is not (TypeKind.Enum or TypeKind.Boolean)
                && f.Parameters.Any(p => p.Semantics.Kind is SemanticsKind.EqualTo or SemanticsKind.OneOf))
            .ToList();
        Assert.NotEmpty(equalityFields);
        foreach (var (path, _, _) in equalityFields)
        {
            var distinct = items.Select(i => Oracle.Text(Oracle.At(i, path))).OfType<string>().Distinct(StringComparer.Ordinal).Count();
            Assert.True(distinct >= 3, $"{api}.{path} takes {distinct} distinct non-null values; a filter on it needs several to be tested.");
        }
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Timestamps_spread_over_the_recent_days_up_to_now(string api)
    {
        var (contract, items) = await DatasetAsync(api);
        var time = contract.Mock!.Time!;
        var field = contract.ResolvePath(contract.FindModel(contract.Mock.DatasetModel!)!, time.Field)!.Last();
        var now = TestMockServerFixture.Now;
        var times = items.Select(i => Oracle.Instant(Oracle.At(i, time.Field), field.Type.Encoding)!.Value).ToList();

        Assert.All(times, t => Assert.True(t <= now, $"{t:O} is after now ({now:O})."));
        Assert.True(times.Max() > now.AddDays(-1), $"The newest {time.Field} is {times.Max():O}, more than a day before now ({now:O}).");
        var recentDays = times.Where(t => t > now.AddDays(-time.Days)).Select(t => t.UtcDateTime.Date).Distinct().Count();
        Assert.True(recentDays >= time.Days / 2, $"{api}: items fall on {recentDays} distinct days of the last {time.Days}.");
    }

    /// <summary>List endpoints (without path parameters) that apply a relative time window by default.</summary>
    public static TheoryData<string, string> DefaultWindows()
    {
        var data = new TheoryData<string, string>();
        foreach (var contract in TestContracts.Specs)
        {
            foreach (var e in contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal)
                && e.Parameters.Any(p => p.Semantics.Kind == SemanticsKind.RelativeWindow && p.Default is not null)))
            {
                data.Add(contract.Name, e.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DefaultWindows))]
    public async Task A_default_relative_window_returns_data(string api, string endpointName)
    {
        var endpoint = TestContracts.Get(api).FindEndpoint(endpointName)!;
        var (status, body, _) = await _fx.GetAsync(api, endpoint.Path);
        Assert.Equal(200, status);
        Assert.True(Walker.Payload(endpoint, body).GetArrayLength() > 0, $"{api} {endpoint.Path} with its default window returned no item.");
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Ids_are_unique_and_increase_with_time(string api)
    {
        var (contract, items) = await DatasetAsync(api);
        var mock = contract.Mock!;
        var field = contract.ResolvePath(contract.FindModel(mock.DatasetModel!)!, mock.Time!.Field)!.Last();
        var ids = items.Select(i => Walker.Id(i, contract)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        if (mock.Id!.Uuid)
        {
            return;
        }

        var byId = items.OrderBy(i => Oracle.At(i, mock.Id.Field)!.Value.GetInt64()).ToList();
        for (var k = 1; k < byId.Count; k++)
        {
            var before = Oracle.Instant(Oracle.At(byId[k - 1], mock.Time.Field), field.Type.Encoding);
            var after = Oracle.Instant(Oracle.At(byId[k], mock.Time.Field), field.Type.Encoding);
            Assert.True(before <= after, $"{api}: id {Walker.Id(byId[k], contract)} is older ({after:O}) than the lower id {Walker.Id(byId[k - 1], contract)} ({before:O}).");
        }
    }
}
