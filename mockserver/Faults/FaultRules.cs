using System.Text.Json.Serialization;

namespace EventsBindings.MockServer.Faults;

/// <summary>
/// An admin rule that injects a fault into matching requests: every Nth one, only the Nth one,
/// or all, at most <see cref="Times"/> times. Counting is per rule and reproducible.
/// </summary>
public sealed class FaultRule
{
    /// <summary>Identifier assigned by the server.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Only requests of this API (contract name), or any.</summary>
    public string? Api { get; set; }

    /// <summary>Only requests of this endpoint (its contract name), or any.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Only requests whose path starts with this, or any.</summary>
    public string? Path { get; set; }

    /// <summary>Only requests with this method, or any.</summary>
    public string? Method { get; set; }

    /// <summary>The fault(s) to inject, as in the X-Mock-Fault header (<c>429</c>, <c>delay=2000</c>, <c>reset</c>…).</summary>
    public string Fault { get; set; } = "500";

    /// <summary>Inject into every Nth matching request.</summary>
    public int? Every { get; set; }

    /// <summary>Inject into the Nth matching request only.</summary>
    public int? Nth { get; set; }

    /// <summary>Inject at most this many times.</summary>
    public int? Times { get; set; }

    /// <summary>Value of Retry-After on injected 429/503 responses (seconds), overriding the contract's.</summary>
    public int? RetryAfter { get; set; }

    /// <summary>Matching requests seen.</summary>
    public int Seen { get; set; }

    /// <summary>Faults injected.</summary>
    public int Injected { get; set; }

    [JsonIgnore]
    internal List<Fault> Parsed { get; set; } = new();

    /// <summary>A copy of the rule as it stands (its counters included), detached from the server's.</summary>
    internal FaultRule Copy() => new()
    {
        Id = Id, Api = Api, Endpoint = Endpoint, Path = Path, Method = Method, Fault = Fault, Every = Every, Nth = Nth,
        Times = Times, RetryAfter = RetryAfter, Seen = Seen, Injected = Injected, Parsed = Parsed.ToList(),
    };
}

/// <summary>The set of fault rules; thread-safe.</summary>
internal sealed class FaultRules
{
    private readonly object _lock = new();
    private readonly List<FaultRule> _rules = new();
    private int _next;

    /// <summary>Why a rule was refused.</summary>
    public const string InvalidFault = "A fault rule needs 'fault': a status code, delay=<ms>, reset, truncate or malformed.";

    public IReadOnlyList<FaultRule> Snapshot()
    {
        lock (_lock)
        {
            return _rules.Select(r => r.Copy()).ToList();
        }
    }

    /// <summary>
    /// Adds a copy of <paramref name="rule"/> with its fault text parsed, its counters at zero and a new id; returns
    /// a copy of what was added. Throws <see cref="ArgumentException"/> when the fault text is not a fault list.
    /// </summary>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Fault is null || !Fault.TryParseList(rule.Fault, out var parsed, out _) || parsed.Count == 0)
        {
            throw new ArgumentException(InvalidFault, nameof(rule));
        }

        rule = rule.Copy();
        rule.Parsed = parsed;
        rule.Seen = 0;
        rule.Injected = 0;
        lock (_lock)
        {
            rule.Id = "rule-" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _rules.Add(rule);
            return rule.Copy();
        }
    }

    public bool Remove(string id)
    {
        lock (_lock)
        {
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Counts the request against every matching rule; returns the faults and the Retry-After override of the rules that fire.</summary>
    public (List<Fault> Faults, int? RetryAfter, string? RuleId) Evaluate(string? api, string? endpoint, string method, string path)
    {
        var faults = new List<Fault>();
        int? retryAfter = null;
        string? ruleId = null;
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                if ((rule.Api is not null && !string.Equals(rule.Api, api, StringComparison.OrdinalIgnoreCase))
                    || (rule.Endpoint is not null && !string.Equals(rule.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase))
                    || (rule.Method is not null && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                    || (rule.Path is not null && !path.StartsWith(rule.Path, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                rule.Seen++;
                var fires = rule.Nth is { } nth ? rule.Seen == nth
                    : rule.Every is { } every ? every > 0 && rule.Seen % every == 0
                    : true;
                if (fires && (rule.Times is null || rule.Injected < rule.Times))
                {
                    rule.Injected++;
                    faults.AddRange(rule.Parsed);
                    retryAfter ??= rule.RetryAfter;
                    ruleId ??= rule.Id;
                }
            }
        }

        return (faults, retryAfter, ruleId);
    }
}
