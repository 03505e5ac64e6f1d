namespace EventsBindings.Kit.Verify;

/// <summary>Options of <see cref="ContractVerifier"/>.</summary>
public sealed class VerifyOptions
{
    /// <summary>The most requests one run sends (checks beyond it are skipped). Default 60.</summary>
    public int MaxRequests { get; set; } = 60;

    /// <summary>The pause between two requests, to be polite to live APIs. Default 250 ms; 0 for the mock server.</summary>
    public TimeSpan Pace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The timeout of one request. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest <c>Retry-After</c> waited out: a 429 is retried once after it (one second when the
    /// server gives none) if it is no longer than this and the budget has a request left; otherwise the
    /// 429 stands and the check fails. Default 30 s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many pages the paging walk reads at most. Default 3.</summary>
    public int MaxPages { get; set; } = 3;

    /// <summary>The page size of the paging walk (clamped to the contract's bounds). Default 3.</summary>
    public int WalkPageSize { get; set; } = 3;

    /// <summary>
    /// The auth scheme the credential belongs to (a name of the contract's <c>auth</c> map). Default: the
    /// contract's first <c>security</c> entry. A <c>refreshToken</c> scheme is exchanged first.
    /// </summary>
    public string? Scheme { get; set; }

    /// <summary>Drift (undeclared properties, unknown enum values) fails the run instead of warning. Default false.</summary>
    public bool FailOnDrift { get; set; }

    /// <summary>
    /// Send the requests the contract says must be refused (a page size above the maximum, no
    /// credential). Default true. Turn off behind a validating proxy (such as Prism) that refuses them
    /// itself before the server sees them.
    /// </summary>
    public bool NegativeChecks { get; set; } = true;

    /// <summary>
    /// The HTTP client to send with (tests route it through an in-process server or a proxy). Default: a
    /// new client owned by the run.
    /// </summary>
    public HttpClient? HttpClient { get; set; }
}
