namespace EventsBindings.MockServer.Hosting;

/// <summary>Options of the mock server; the command line maps onto these one to one.</summary>
public sealed class MockServerOptions
{
    /// <summary>Address to bind. Default <c>127.0.0.1</c> (loopback only).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free one (see <see cref="MockServerHost.BaseAddress"/>). Default 5080.</summary>
    public int Port { get; set; } = 5080;

    /// <summary>Directory of contracts to serve instead of the embedded ones (watched for changes).</summary>
    public string? ContractsDirectory { get; set; }

    /// <summary>Synthetic items generated per API (besides the documented examples). Default 1000.</summary>
    public int Events { get; set; } = 1000;

    /// <summary>Seed of the synthetic data; the same seed gives the same ids and values. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>JSON files of extra items: an object whose keys are API names and whose values are arrays of items.</summary>
    public IList<string> DataFiles { get; } = new List<string>();

    /// <summary>Credentials replacing the contracts' demo ones: <c>[Api:]scheme=value</c>.</summary>
    public IList<string> Credentials { get; } = new List<string>();

    /// <summary>Requests per second allowed per credential before 429 (null: unlimited).</summary>
    public double? RateLimitPerSecond { get; set; }

    /// <summary>
    /// For APIs whose contract declares <c>rateLimit</c> headers: the length of a credential's window. Default 60 s.
    /// </summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// For APIs whose contract declares <c>rateLimit</c> headers: requests allowed per credential and window
    /// (sent as the limit header; 429 beyond it). Null: <see cref="RateLimitPerSecond"/> times the window when
    /// that is set, else <see cref="DefaultRateLimitPerWindow"/>.
    /// </summary>
    public long? RateLimitPerWindow { get; set; }

    /// <summary>The window's limit when neither <see cref="RateLimitPerWindow"/> nor <see cref="RateLimitPerSecond"/> is set.</summary>
    public const long DefaultRateLimitPerWindow = 100_000;

    /// <summary>Re-read the contracts directory when a file changes. Default true.</summary>
    public bool HotReload { get; set; } = true;

    /// <summary>How many requests the journal keeps. Default 10000.</summary>
    public int JournalCapacity { get; set; } = 10_000;

    /// <summary>The server's clock ("now" for relative windows and new items). Default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the server writes its messages (reloads, contract diagnostics). Default: nowhere.</summary>
    public Action<string>? Log { get; set; }
}
