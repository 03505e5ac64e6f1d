using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EventsBindings.Runtime.Json;
using NewtonsoftResolver = Newtonsoft.Json.Serialization;
using AbrEvent = EventsBindings.AdminByRequest.Event;
using BanyanEvent = EventsBindings.Banyan.Event;

namespace EventsBindings.Bench.Parsing;

/// <summary>Shared state of the parsing benchmarks: the bytes and the serializers' options.</summary>
public abstract class ParseBenchmarkBase
{
    protected static readonly JsonSerializerOptions AbrReflection = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    protected static readonly JsonSerializerOptions BanyanReflection = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    protected static readonly Newtonsoft.Json.JsonSerializer AbrNewtonsoft = Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings
    {
        ContractResolver = new NewtonsoftResolver.DefaultContractResolver { NamingStrategy = new NewtonsoftResolver.CamelCaseNamingStrategy() },
        DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
    });

    protected static readonly Newtonsoft.Json.JsonSerializer BanyanNewtonsoft = Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings
    {
        ContractResolver = new NewtonsoftResolver.DefaultContractResolver { NamingStrategy = new NewtonsoftResolver.SnakeCaseNamingStrategy() },
        DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
    });

    protected byte[] Json { get; set; } = Array.Empty<byte>();

    /// <summary>The size of the body, for reports.</summary>
    public int Bytes => Json.Length;

    /// <summary>The floor: one Utf8JsonReader pass over every token, touching nothing.</summary>
    [Benchmark(Description = "Utf8JsonReader pass (floor)")]
    public int BareReader()
    {
        var reader = new Utf8JsonReader(Json);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    protected static T ReadNewtonsoft<T>(Newtonsoft.Json.JsonSerializer serializer, byte[] json)
    {
        using var stream = new MemoryStream(json, writable: false);
        using var text = new StreamReader(stream, Encoding.UTF8);
        using var reader = new Newtonsoft.Json.JsonTextReader(text);
        return serializer.Deserialize<T>(reader)!;
    }
}

/// <summary>One Admin By Request page of 10,000 events (a bare JSON array).</summary>
[MemoryDiagnoser]
public class ParseAdminByRequestPage : ParseBenchmarkBase
{
    /// <summary>Events in the page.</summary>
    [Params(10_000)]
    public int Events { get; set; } = 10_000;

    [GlobalSetup]
    public void Setup() => Json = Payloads.AdminByRequestPage(Events);

    [Benchmark(Baseline = true, Description = "EventsBindings generated")]
    public int Generated() => JsonPayload.ReadList<AbrEvent>(Json, null, AbrEvent.ReadJson).Count;

    [Benchmark(Description = "STJ source generator")]
    public int StjSourceGenerator() => JsonSerializer.Deserialize(Json, AbrPocoContext.Default.ListAbrEventPoco)!.Count;

    [Benchmark(Description = "STJ reflection")]
    public int StjReflection() => JsonSerializer.Deserialize<List<AbrEventPoco>>(Json, AbrReflection)!.Count;

    [Benchmark(Description = "Newtonsoft.Json")]
    public int NewtonsoftJson() => ReadNewtonsoft<List<AbrEventPoco>>(AbrNewtonsoft, Json).Count;
}

/// <summary>One Banyan page of 1,000 recorded-shape events (<c>{"data":[...]}</c>).</summary>
[MemoryDiagnoser]
public class ParseBanyanPage : ParseBenchmarkBase
{
    /// <summary>Events in the page.</summary>
    [Params(1_000)]
    public int Events { get; set; } = 1_000;

    [GlobalSetup]
    public void Setup() => Json = Payloads.BanyanPage(Events, Payloads.DefaultFixtures);

    [Benchmark(Baseline = true, Description = "EventsBindings generated")]
    public int Generated() => JsonPayload.ReadList<BanyanEvent>(Json, "data", BanyanEvent.ReadJson).Count;

    [Benchmark(Description = "STJ source generator")]
    public int StjSourceGenerator() => JsonSerializer.Deserialize(Json, BanyanPocoContext.Default.BanyanPagePoco)!.Data!.Count;

    [Benchmark(Description = "STJ reflection")]
    public int StjReflection() => JsonSerializer.Deserialize<BanyanPagePoco>(Json, BanyanReflection)!.Data!.Count;

    [Benchmark(Description = "Newtonsoft.Json")]
    public int NewtonsoftJson() => ReadNewtonsoft<BanyanPagePoco>(BanyanNewtonsoft, Json).Data!.Count;
}
