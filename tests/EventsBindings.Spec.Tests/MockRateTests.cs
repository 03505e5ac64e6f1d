using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// The mock keys that make the dataset look like real data: null and absent rates resolved from the
/// field, its model, the dataset and the built-in default; ISO fraction digits; enum rates.
/// </summary>
public sealed class MockRateTests
{
    private static ContractSpec Sample(string modelMock, string fieldMocks, string datasetRates, string enums = "")
    {
        var text = $$"""
            format: 1
            name: Sample
            namespace: Sample.Events
            title: Sample
            servers: [{ name: Main, url: "https://api.example.com" }]
            auth: { key: { kind: apiKey, header: x-key } }
            security: [key]
            enums:
              Kind: { type: string, values: [{ value: A, csharp: A }, { value: B, csharp: B }, { value: C, csharp: C }] }
            models:
              Item:
                {{modelMock}}
                fields:
                  - { json: id, type: int64 }
                  - { json: kind, type: Kind }
                  - { json: time, type: timestamp, encoding: isoUtc{{fieldMocks}} }
                  - { json: plain, type: string, nullable: true, optional: true }
                  - { json: rated, type: string, nullable: true, optional: true, mock: { nullRate: 0.3, absentRate: 0.4 } }
                  - { json: never, type: string, nullable: true, optional: true, mock: { nullRate: 0, absentRate: 0 } }
                  - { json: required, type: string }
            endpoints:
              - { name: Items, method: GET, path: /items, response: { kind: list, model: Item }, order: { field: id, direction: ascending } }
            mock:
              prefix: /sample
              dataset: { model: Item{{datasetRates}} }
            {{enums}}
            """;
        var result = ContractReader.Parse(text, "sample.yaml");
        Assert.True(result.Contract is not null, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Contract!;
    }

    private static double Null(ContractSpec c, string field) => c.MockNullRate(c.FindModel("Item")!, c.FindModel("Item")!.FindField(field)!);

    private static double Absent(ContractSpec c, string field) => c.MockAbsentRate(c.FindModel("Item")!, c.FindModel("Item")!.FindField(field)!);

    [Fact]
    public void Without_rates_nullable_and_optional_fields_get_the_default_and_others_none()
    {
        var c = Sample(string.Empty, string.Empty, string.Empty);
        Assert.Equal(MockRatesSpec.DefaultNullRate, Null(c, "plain"));
        Assert.Equal(MockRatesSpec.DefaultAbsentRate, Absent(c, "plain"));
        Assert.Equal(0, Null(c, "required"));
        Assert.Equal(0, Absent(c, "required"));
        Assert.Equal((0.3, 0.4), (Null(c, "rated"), Absent(c, "rated")));
        Assert.Equal((0.0, 0.0), (Null(c, "never"), Absent(c, "never")));
    }

    [Fact]
    public void The_model_rate_wins_over_the_dataset_rate_and_the_field_rate_over_both()
    {
        var dataset = Sample(string.Empty, string.Empty, ", nullRate: 0.25, absentRate: 0.05");
        Assert.Equal((0.25, 0.05), (Null(dataset, "plain"), Absent(dataset, "plain")));

        var model = Sample("mock: { nullRate: 0.5 }", string.Empty, ", nullRate: 0.25, absentRate: 0.05");
        Assert.Equal((0.5, 0.05), (Null(model, "plain"), Absent(model, "plain")));
        Assert.Equal((0.3, 0.4), (Null(model, "rated"), Absent(model, "rated")));
    }

    [Fact]
    public void Fraction_digits_and_enum_rates_are_read()
    {
        var c = Sample(string.Empty, ", mock: { fractionDigits: 3 }", string.Empty, "  enums: { Kind: { unknownRate: 0.05, rates: { C: 0, B: 0.2 } } }");
        Assert.Equal(3, c.FindModel("Item")!.FindField("time")!.Mock!.FractionDigits);
        var kind = c.Mock!.FindEnum("Kind")!;
        Assert.Equal(0.05, kind.UnknownRate);
        Assert.Equal(new[] { "B", "C" }, kind.Rates.Select(r => r.Value));
        Assert.Equal(0, kind.RateOf("C"));
        Assert.Equal(0.2, kind.RateOf("B"));
        Assert.Null(kind.RateOf("A"));
    }

    [Fact]
    public void The_contracts_keep_closed_client_values_and_python_timestamps_in_the_default_dataset()
    {
        var banyan = TestFiles.Contract(TestFiles.Banyan);
        var types = banyan.Mock!.FindEnum("EventType")!;
        Assert.Equal(0, types.UnknownRate);
        Assert.All(new[] { "Threat", "Compliance", "NetagentRestart", "ITPStatus" }, v => Assert.Equal(0, types.RateOf(v)));
        Assert.All(new[] { "Access", "Identity", "Registration", "TrustScoring", "Audit", "AdminLogin" }, v => Assert.Null(types.RateOf(v)));

        var exchange = banyan.FindEndpoint("RefreshToken")!;
        Assert.Contains(exchange.Security, s => banyan.FindScheme(s)!.Kind == AuthKind.Bearer);

        var abr = TestFiles.Contract(TestFiles.Abr);
        var model = abr.FindModel("Event")!;
        Assert.Equal(3, model.FindField("eventTimeUTC")!.Mock!.FractionDigits);
        Assert.Equal(3, model.FindField("eventTime")!.Mock!.FractionDigits);
    }
}
