using System.Reflection;
using BenchmarkDotNet.Attributes;
using EventsBindings.Bench;
using EventsBindings.Bench.EndToEnd;
using EventsBindings.Bench.Generator;
using EventsBindings.Bench.Load;
using EventsBindings.Bench.Parsing;
using Xunit;

namespace EventsBindings.Bench.Tests;

/// <summary>
/// The quick mode of every benchmark: each runs for a moment and produces a result, so that the
/// benchmarks keep compiling and running. No timing is asserted; the full runs are manual (docs/benchmarks.md).
/// </summary>
public sealed class QuickModeTests
{
    [Theory]
    [InlineData(typeof(ParseAdminByRequestPage), 10_000)]
    [InlineData(typeof(ParseBanyanPage), 1_000)]
    public void Every_parsing_benchmark_reads_the_whole_page(Type type, int events)
    {
        var bench = Activator.CreateInstance(type)!;
        type.GetMethods().Single(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null).Invoke(bench, null);
        var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).ToList();
        Assert.Equal(5, methods.Count);
        foreach (var method in methods)
        {
            var result = (int)method.Invoke(bench, null)!;
            if (method.Name == nameof(ParseBenchmarkBase.BareReader))
            {
                Assert.True(result > events * 10, $"{method.Name}: {result} tokens");
            }
            else
            {
                Assert.Equal(events, result);
            }
        }
    }

    [Fact]
    public void Generated_and_handwritten_models_agree_on_the_payload()
    {
        var json = Payloads.AdminByRequestPage(500);
        var generated = EventsBindings.Runtime.Json.JsonPayload.ReadList(json, null, EventsBindings.Runtime.Json.ContractJson.Read<EventsBindings.AdminByRequest.Event>);
        var poco = System.Text.Json.JsonSerializer.Deserialize(json, AbrPocoContext.Default.ListAbrEventPoco)!;
        Assert.Equal(poco.Select(p => (p.Id, p.EventCode, p.EventTime, p.UserName, p.Application?.Sha256)), generated.Select(g => (g.Id, g.EventCode.Value, g.EventTime, g.UserName, g.Application?.Sha256)));
        Assert.Equal(poco.Select(p => p.EventTimeUTC), generated.Select(g => g.EventTimeUtc.UtcDateTime));
    }

    [Fact]
    public void Generator_benchmark_runs_and_reruns_nothing_after_an_unrelated_edit()
    {
        var result = GeneratorBench.Run(new Options { Quick = true });
        Assert.Equal(4, result.Rows.Count);
        Assert.True(result.Values["both-contracts.warmMedianMs"] > 0);
        Assert.Equal(0, result.Values["both-contracts.rerunSteps"]);
        Assert.Equal(0, result.Values["synthetic-200-endpoints.rerunSteps"]);
    }

    [Fact]
    public async Task End_to_end_benchmark_runs_every_client()
    {
        var result = await EndToEndBench.RunAsync(new Options { Quick = true, InProcess = true, Events = 5_000, PageSize = 1_000 });
        foreach (var variant in EndToEndBench.Variants)
        {
            Assert.Equal(5_000, result.Values[variant + ".events"]);
            Assert.True(result.Values[variant + ".eventsPerSecond"] > 0);
        }
    }

    [Fact]
    public async Task Mock_load_benchmark_runs()
    {
        var result = await MockBench.RunAsync(new Options { Quick = true, InProcess = true, Events = 5_000, Seconds = 0.5, Workers = 2, NoWireMock = true });
        Assert.Contains(result.Values, v => v.Key.StartsWith("mock.", StringComparison.Ordinal) && v.Value > 0);
        Assert.Contains(result.Values, v => v.Key.StartsWith("wiremocknet.", StringComparison.Ordinal) && v.Value > 0);
        Assert.Contains(result.Values, v => v.Key.StartsWith("seek.", StringComparison.Ordinal) && v.Value > 0);
    }
}
