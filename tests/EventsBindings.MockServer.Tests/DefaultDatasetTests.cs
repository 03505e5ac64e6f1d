using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>The mock server with its default options (1,000 items per API, seed 1): the dataset people get from <c>dotnet run --project cli/EventsBindings.Cli -- serve</c>.</summary>
public sealed class DefaultDatasetFixture : MockServerFixture
{
    private readonly Dictionary<string, Task<List<JsonElement>>> _items = new(StringComparer.Ordinal);

    /// <summary>Every stored item of an API, read page by page over its dataset list endpoint.</summary>
    public Task<List<JsonElement>> ItemsAsync(ContractSpec contract)
    {
        lock (_items)
        {
            if (!_items.TryGetValue(contract.Name, out var items))
            {
                var source = contract.Endpoints.First(e => e.Response.Kind == ResponseKind.List && e.Response.Model == contract.Mock!.DatasetModel && !e.Path.Contains('{', StringComparison.Ordinal));
                items = Universe.FetchAsync(this, contract, source);
                _items[contract.Name] = items;
            }

            return items;
        }
    }
}

/// <summary>
/// The default dataset looks like what real servers send, as the contracts describe it: nullable
/// fields are null and optional fields absent at their rates and nowhere else, ISO timestamps have
/// the fraction digits the contract sets (so that Python's <c>%f</c> reads them), epoch fields are
/// in their unit, and enum values whose mock rate is 0, or that the enum does not list, do not occur.
/// Driven by the contracts: no field is named here.
/// </summary>
public sealed class DefaultDatasetTests(DefaultDatasetFixture fx) : IClassFixture<DefaultDatasetFixture>
{
    public static TheoryData<string> Apis()
    {
        var data = new TheoryData<string>();
        foreach (var contract in TestContracts.Specs.Where(c => c.Mock?.DatasetModel is not null))
        {
            data.Add(contract.Name);
        }

        return data;
    }

    /// <summary>One object of a model met in the dataset, at a JSON path.</summary>
    private sealed record Visit(ModelSpec Model, JsonElement Object, string Path);

    /// <summary>Every object of every model in the items, by walking the models' fields.</summary>
    private static List<Visit> Objects(ContractSpec contract, IEnumerable<JsonElement> items)
    {
        var result = new List<Visit>();
        var model = contract.FindModel(contract.Mock!.DatasetModel!)!;
        var k = 0;
        foreach (var item in items)
        {
            Walk(contract, model, item, $"[{k++}]", result);
        }

        return result;
    }

    private static void Walk(ContractSpec contract, ModelSpec model, JsonElement obj, string path, List<Visit> result)
    {
        result.Add(new Visit(model, obj, path));
        foreach (var field in model.Fields.Where(f => f.Type.Kind == TypeKind.Model))
        {
            if (!obj.TryGetProperty(field.JsonName, out var value) || contract.FindModel(field.Type.Name!) is not { } nested)
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                Walk(contract, nested, value, path + "." + field.JsonName, result);
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var element in value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
                {
                    Walk(contract, nested, element, $"{path}.{field.JsonName}[{i++}]", result);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Null_and_absent_values_occur_where_the_contract_allows_them_and_nowhere_else(string api)
    {
        var contract = TestContracts.Get(api);
        var objects = Objects(contract, await fx.ItemsAsync(contract));
        var problems = new List<string>();
        foreach (var group in objects.GroupBy(o => o.Model.Name))
        {
            var model = group.First().Model;
            var all = group.ToList();
            foreach (var field in model.Fields)
            {
                var absent = all.Count(o => !o.Object.TryGetProperty(field.JsonName, out _));
                var nulls = all.Count(o => o.Object.TryGetProperty(field.JsonName, out var v) && v.ValueKind == JsonValueKind.Null);
                var where = $"{model.Name}.{field.JsonName}";
                if (!field.Optional && absent > 0)
                {
                    problems.Add($"{where} is not optional but absent in {absent} of {all.Count} objects (first at {all.First(o => !o.Object.TryGetProperty(field.JsonName, out _)).Path}).");
                }

                if (!field.Nullable && nulls > 0)
                {
                    problems.Add($"{where} is not nullable but null in {nulls} of {all.Count} objects.");
                }

                // Where the rate promises at least 8 occurrences, at least one must be there (a miss is then below 1 in 3,000).
                if (contract.MockAbsentRate(model, field) * all.Count >= 8 && absent == 0)
                {
                    problems.Add($"{where} is optional (absentRate {contract.MockAbsentRate(model, field)}) but present in all {all.Count} objects.");
                }

                var present = all.Count - absent;
                if (contract.MockNullRate(model, field) * present >= 8 && nulls == 0)
                {
                    problems.Add($"{where} is nullable (nullRate {contract.MockNullRate(model, field)}) but never null in {all.Count} objects.");
                }
            }
        }

        Assert.True(problems.Count == 0, api + ":\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Iso_timestamps_carry_the_fraction_digits_the_contract_sets_and_parse_with_python_percent_f(string api)
    {
        var contract = TestContracts.Get(api);
        var checkedValues = 0;
        foreach (var (model, obj, path) in Objects(contract, await fx.ItemsAsync(contract)))
        {
            foreach (var field in model.Fields.Where(f => f.Type is { Kind: TypeKind.Timestamp, IsArray: false, Encoding: TimestampEncoding.IsoLocal or TimestampEncoding.IsoUtc }
                && f.Mock?.FractionDigits is > 0 and <= 6))
            {
                if (!obj.TryGetProperty(field.JsonName, out var value) || value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var text = value.GetString()!;
                var dot = text.LastIndexOf('.');
                Assert.True(dot > 0 && text.Length - dot - 1 == field.Mock!.FractionDigits, $"{path}.{field.JsonName} = '{text}': expected {field.Mock.FractionDigits} fraction digits.");
                Assert.True(PythonStrptime.TryParse(text, PythonStrptime.IsoWithFraction, out _), $"{path}.{field.JsonName} = '{text}' does not parse with strptime('{PythonStrptime.IsoWithFraction}').");
                checkedValues++;
            }
        }

        var hinted = contract.Models.SelectMany(m => m.Fields).Any(f => f.Mock?.FractionDigits is > 0 and <= 6 && f.Type.Encoding is TimestampEncoding.IsoLocal or TimestampEncoding.IsoUtc);
        Assert.True(!hinted || checkedValues > 0, $"{api} sets fraction digits but no such timestamp was served.");
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Epoch_timestamps_are_in_their_unit(string api)
    {
        // Epoch milliseconds of the years 2001 to 2286 have 13 digits, epoch nanoseconds of 2001 to 2262 have 19; 0 means "never".
        var contract = TestContracts.Get(api);
        var problems = new List<string>();
        foreach (var (model, obj, path) in Objects(contract, await fx.ItemsAsync(contract)))
        {
            foreach (var field in model.Fields.Where(f => f.Type is { Kind: TypeKind.Timestamp, IsArray: false, Encoding: TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos }))
            {
                if (!obj.TryGetProperty(field.JsonName, out var value) || value.ValueKind != JsonValueKind.Number)
                {
                    continue;
                }

                var digits = value.GetRawText().TrimStart('-').Length;
                var expected = field.Type.Encoding == TimestampEncoding.EpochMillis ? 13 : 19;
                if (value.GetRawText() != "0" && digits != expected)
                {
                    problems.Add($"{path}.{field.JsonName} = {value.GetRawText()}: {field.Type.Encoding} has {expected} digits.");
                }
            }
        }

        Assert.True(problems.Count == 0, api + ":\n  " + string.Join("\n  ", problems.Take(20)));
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Enum_values_occur_only_at_the_rates_the_contract_sets(string api)
    {
        var contract = TestContracts.Get(api);
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (model, obj, path) in Objects(contract, await fx.ItemsAsync(contract)))
        {
            foreach (var field in model.Fields.Where(f => f.Type.Kind == TypeKind.Enum))
            {
                var e = contract.FindEnum(field.Type.Name!)!;
                var settings = contract.Mock!.FindEnum(e.Name);
                if (!obj.TryGetProperty(field.JsonName, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : new List<JsonElement> { value };
                foreach (var text in values.Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()))
                {
                    var known = e.IndexOf(text) >= 0;
                    if (!known && (settings?.UnknownRate ?? 0) == 0)
                    {
                        problems.Add($"{model.Name}.{field.JsonName} takes '{text}', which {e.Name} does not list (unknownRate 0).");
                    }
                    else if (known && settings?.RateOf(e.Values[e.IndexOf(text)].Value) is 0)
                    {
                        problems.Add($"{model.Name}.{field.JsonName} takes '{text}', whose mock rate is 0 (at {path}).");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, api + ":\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void The_contracts_set_what_this_checks()
    {
        // Guards against the checks above passing vacuously: some contract sets fraction digits, some
        // sets a rate of 0, and some field is nullable or optional.
        Assert.Contains(TestContracts.Specs, c => c.Models.SelectMany(m => m.Fields).Any(f => f.Mock?.FractionDigits is not null));
        Assert.Contains(TestContracts.Specs, c => c.Mock?.Enums.Any(e => e.Rates.Any(r => r.Rate == 0)) == true);
        Assert.Contains(TestContracts.Specs, c => c.Models.SelectMany(m => m.Fields).Any(f => f.Nullable && f.Optional));
    }
}
