using System.Globalization;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Infrastructure;

namespace EventsExport;

/// <summary>The parsed command line.</summary>
internal sealed class Options
{
    public required string Api { get; init; }

    public required Uri BaseUrl { get; init; }

    public required EventsCredential Credential { get; init; }

    public required string Out { get; init; }

    public required string Checkpoint { get; init; }

    public string? AuthScheme { get; init; }

    /// <summary>--refresh-token: the credential is a refresh token to exchange.</summary>
    public bool RefreshToken { get; init; }

    public int? PageSize { get; init; }

    public bool Follow { get; init; }

    public bool Quiet { get; init; }

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] valued = { "--api", "--base-url", "--credential", "--out", "--checkpoint", "--auth-scheme", "--page-size" };
        string[] switches = { "--follow", "--quiet", "--refresh-token" };
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (Array.IndexOf(switches, a) >= 0)
            {
                flags.Add(a);
            }
            else if (Array.IndexOf(valued, a) >= 0)
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{a} needs a value.");
                }

                values[a] = args[++i];
            }
            else
            {
                throw new ArgumentException($"unknown argument '{a}'.");
            }
        }

        string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"{name} is required.");

        var api = Required("--api").ToLowerInvariant();
        if (Apis.Find(api) is null)
        {
            throw new ArgumentException($"--api must be {Apis.Choices(" or ")}, not '{api}'.");
        }

        if (!Uri.TryCreate(Required("--base-url"), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("--base-url must be an absolute http(s) URL.");
        }

        var secret = values.TryGetValue("--credential", out var c) ? c : Environment.GetEnvironmentVariable("EVENTS_CREDENTIAL");
        if (string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException("--credential is required (or set EVENTS_CREDENTIAL).");
        }

        int? pageSize = null;
        if (values.TryGetValue("--page-size", out var ps))
        {
            if (!int.TryParse(ps, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw new ArgumentException("--page-size must be a positive integer.");
            }

            pageSize = n;
        }

        return new Options
        {
            Api = api,
            BaseUrl = baseUrl,
            Credential = flags.Contains("--refresh-token") ? new RefreshTokenCredential(secret) : new EventsKeyCredential(secret),
            RefreshToken = flags.Contains("--refresh-token"),
            Out = Required("--out"),
            Checkpoint = Required("--checkpoint"),
            AuthScheme = values.GetValueOrDefault("--auth-scheme"),
            PageSize = pageSize,
            Follow = flags.Contains("--follow"),
            Quiet = flags.Contains("--quiet"),
        };
    }

    /// <summary>
    /// Checks the options against what the generated client knows of the API's contract: its auth schemes
    /// (<paramref name="api"/>) and the bounds of its page-size parameter (enforced by the generated query's
    /// setter, called by <paramref name="setPageSize"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An option does not fit the API; the message names the option.</exception>
    public void CheckAgainst(ApiDescriptor api, Action<int> setPageSize)
    {
        var schemes = string.Join(", ", api.Schemes.Select(s => s.Name));
        if (AuthScheme is { } name)
        {
            var scheme = api.FindScheme(name) ?? throw new ArgumentException($"--auth-scheme must be one of {schemes} for {Api}, not '{name}'.");
            var exchanges = scheme.Kind == AuthSchemeKind.RefreshToken;
            if (exchanges && !RefreshToken)
            {
                throw new ArgumentException($"--auth-scheme {scheme.Name} exchanges a refresh token: add --refresh-token.");
            }

            if (!exchanges && RefreshToken)
            {
                throw new ArgumentException($"--refresh-token does not fit --auth-scheme {scheme.Name}, which sends the credential as it is.");
            }
        }
        else if (RefreshToken && !api.Schemes.Any(s => s.Kind == AuthSchemeKind.RefreshToken))
        {
            throw new ArgumentException($"--refresh-token: {Api} has no refresh-token auth scheme (it has {schemes}).");
        }

        if (PageSize is { } size)
        {
            try
            {
                setPageSize(size);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new ArgumentException($"--page-size {size.ToString(CultureInfo.InvariantCulture)} is out of range for {Api}: {FirstLine(ex)}", ex);
            }
        }
    }

    /// <summary>An argument exception's own message: its first line, without " (Parameter '…')".</summary>
    public static string FirstLine(ArgumentException ex)
    {
        var text = ex.Message.Split('\n')[0].TrimEnd();
        var parameter = ex.ParamName is null ? -1 : text.LastIndexOf(" (Parameter '" + ex.ParamName + "')", StringComparison.Ordinal);
        return parameter < 0 ? text : text[..parameter];
    }
}
