using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EventsBindings.Bench.Parsing;

namespace EventsBindings.Bench;

/// <summary>
/// The command line of the benchmarks:
/// <c>parse | e2e | mock | generator | all [--quick]</c> (see docs/benchmarks.md), plus the internal
/// <c>serve</c> and <c>e2e-client</c> used as child processes.
/// </summary>
public static class BenchCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("""
                usage: EventsBindings.Bench <command> [options]
                  parse      [--quick] [BenchmarkDotNet args]   parsing: generated vs STJ (source gen, reflection), Newtonsoft, bare reader
                  e2e        [--quick] [--events N]             1,000,000 events from the mock over loopback: generated client vs HttpClient+JsonSerializer
                  mock       [--quick] [--events N] [--seconds S] [--workers W] [--no-wiremock]
                                                                 mock server throughput/latency vs WireMock static stub; first vs last page seek
                  generator  [--quick]                          generator time (both contracts, 200 endpoints) and incrementality
                  all        [--quick]                          everything above
                """);
            return args.Length == 0 ? 1 : 0;
        }

        var options = Options.Parse(args.Skip(1).ToArray());
        switch (args[0])
        {
            case "parse":
                RunParse(options);
                return 0;
            case "e2e":
                Report.Print(await EndToEnd.EndToEndBench.RunAsync(options).ConfigureAwait(false));
                return 0;
            case "mock":
                Report.Print(await Load.MockBench.RunAsync(options).ConfigureAwait(false));
                return 0;
            case "generator":
                Report.Print(Generator.GeneratorBench.Run(options));
                return 0;
            case "all":
                RunParse(options);
                Report.Print(Generator.GeneratorBench.Run(options));
                Report.Print(await EndToEnd.EndToEndBench.RunAsync(options).ConfigureAwait(false));
                Report.Print(await Load.MockBench.RunAsync(options).ConfigureAwait(false));
                return 0;
            case "serve":
                return await EndToEnd.ServeCommand.RunAsync(options).ConfigureAwait(false);
            case "e2e-client":
                return await EndToEnd.EndToEndBench.ClientMainAsync(options).ConfigureAwait(false);
            default:
                Console.Error.WriteLine($"unknown command '{args[0]}'");
                return 1;
        }
    }

    private static void RunParse(Options options)
    {
        // In-process: no per-benchmark project build (slow on small machines); every candidate runs
        // in the same process under the same conditions, which is what the ratios need.
        var rest = options.Rest.Where(a => a != "--short").ToArray();
        var job = options.Quick
            ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(1).WithIterationCount(3).WithId("quick")
            : options.Rest.Contains("--short")
                ? Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15).WithId("short")
                : Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("inprocess");
        var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromTypes(new[] { typeof(ParseAdminByRequestPage), typeof(ParseBanyanPage) })
            .Run(rest.Length == 0 ? new[] { "--filter", "*" } : rest, config);
    }
}

/// <summary>Parsed options.</summary>
public sealed class Options
{
    public bool Quick { get; init; }
    public bool InProcess { get; init; }
    public bool NoWireMock { get; init; }
    public bool NoWireMockNet { get; init; }

    /// <summary>The host of a <c>serve</c> child: <c>kestrel</c> (default) or <c>wiremock-net</c> (the WireMock.Net adapter).</summary>
    public string? Host { get; init; }
    public long? Events { get; init; }
    public double? Seconds { get; init; }
    public int? Workers { get; init; }
    public string? Variant { get; init; }
    public string? Url { get; init; }
    public int? PageSize { get; init; }
    public string[] Rest { get; init; } = Array.Empty<string>();

    public static Options Parse(string[] args)
    {
        bool quick = false, inProcess = false, noWireMock = false, noWireMockNet = false;
        long? events = null;
        double? seconds = null;
        int? workers = null, pageSize = null;
        string? variant = null, url = null, host = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--in-process": inProcess = true; break;
                case "--no-wiremock": noWireMock = true; break;
                case "--no-wiremock-net": noWireMockNet = true; break;
                case "--host": host = Next(); break;
                case "--events": events = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--workers": workers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--page-size": pageSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--variant": variant = Next(); break;
                case "--url": url = Next(); break;
                default: rest.Add(args[i]); break;
            }
        }

        return new Options { Quick = quick, InProcess = inProcess, NoWireMock = noWireMock, NoWireMockNet = noWireMockNet, Host = host, Events = events, Seconds = seconds, Workers = workers, PageSize = pageSize, Variant = variant, Url = url, Rest = rest.ToArray() };
    }
}
