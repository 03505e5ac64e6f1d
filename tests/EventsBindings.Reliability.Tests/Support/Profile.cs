using System.Globalization;
using System.Text.Json;

namespace EventsBindings.Reliability.Tests.Support;

/// <summary>
/// The quick profile (default; what CI runs) or the long one (<c>EVENTSBINDINGS_RELIABILITY=long</c>).
/// Every random choice comes from <see cref="Seed"/>: <c>EVENTSBINDINGS_RELIABILITY_SEED</c>, else a fixed
/// seed in the quick profile and a fresh one in the long profile. Failures print it.
/// </summary>
public static class Profile
{
    private static readonly Lazy<int> SeedValue = new(() =>
    {
        var text = Environment.GetEnvironmentVariable("EVENTSBINDINGS_RELIABILITY_SEED");
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        return IsLong ? Environment.TickCount & 0x7fffffff : 20250615;
    });

    /// <summary>Whether the long profile runs.</summary>
    public static bool IsLong => string.Equals(Environment.GetEnvironmentVariable("EVENTSBINDINGS_RELIABILITY"), "long", StringComparison.OrdinalIgnoreCase);

    /// <summary>The profile's name.</summary>
    public static string Name => IsLong ? "long" : "quick";

    /// <summary>The seed of every random choice.</summary>
    public static int Seed => SeedValue.Value;

    /// <summary>How to replay a failure.</summary>
    public static string Replay => $"profile {Name}, seed {Seed} (replay: EVENTSBINDINGS_RELIABILITY={Name} EVENTSBINDINGS_RELIABILITY_SEED={Seed})";

    /// <summary>Mutated contracts tried (both contracts together).</summary>
    public static int FuzzCases => IsLong ? 10_000 : 300;

    /// <summary>Valid mutants whose generated code is also compiled.</summary>
    public static int FuzzCompiles => IsLong ? 60 : 4;

    /// <summary>Events per API in the export-under-faults test.</summary>
    public static int ExportEvents => IsLong ? 100_000 : 6_000;

    /// <summary>Page size of the export (small pages mean many requests, and so many faults).</summary>
    public static int ExportPageSize => IsLong ? 250 : 60;

    /// <summary>Kills of the export process, at least.</summary>
    public static int ExportKills => IsLong ? 12 : 5;

    /// <summary>Soak duration.</summary>
    public static TimeSpan SoakDuration => IsLong ? TimeSpan.FromMinutes(3) : TimeSpan.FromSeconds(10);

    /// <summary>Concurrent soak clients.</summary>
    public static int SoakClients => 50;

    /// <summary>Hostile requests generated besides the fixed catalogue.</summary>
    public static int HostileRandomRequests => IsLong ? 5_000 : 400;
}

/// <summary>Figures of a run, written as JSON beside the test assembly (and to the test output) for docs/reliability.md.</summary>
public static class Figures
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Records the figures of one test.</summary>
    public static string Record(string name, IReadOnlyDictionary<string, object?> figures)
    {
        var all = new Dictionary<string, object?>(figures) { ["profile"] = Profile.Name, ["seed"] = Profile.Seed, ["at"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture) };
        var json = JsonSerializer.Serialize(all, Options);
        var directory = Environment.GetEnvironmentVariable("EVENTSBINDINGS_RELIABILITY_FIGURES")
            ?? Path.Combine(AppContext.BaseDirectory, "reliability-figures");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"{name}.{Profile.Name}.json"), json);
        return json;
    }
}
