using System.Globalization;

namespace EventsBindings.MockServer.Faults;

/// <summary>What a fault does to a response.</summary>
public enum FaultKind
{
    /// <summary>Answer with this HTTP status and the contract's error body for it.</summary>
    Status,

    /// <summary>Wait, then answer normally.</summary>
    Delay,

    /// <summary>Abort the connection without an answer.</summary>
    Reset,

    /// <summary>Send the status, headers and half of the body, then abort.</summary>
    Truncate,

    /// <summary>Answer 200 with a body that is not valid JSON.</summary>
    Malformed,
}

/// <summary>One injected fault, parsed from text such as <c>429</c>, <c>delay=2000</c>, <c>reset</c>, <c>truncate</c>, <c>malformed</c>.</summary>
public sealed record Fault(FaultKind Kind, int Status = 0, int DelayMilliseconds = 0)
{
    /// <summary>Parses a comma-separated fault list; returns false with a reason for unknown text.</summary>
    public static bool TryParseList(string text, out List<Fault> faults, out string? error)
    {
        faults = new List<Fault>();
        error = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParse(part, out var fault))
            {
                error = $"Header '{"X-Mock-Fault"}' has an unknown fault '{part}': use a status code (429, 500, …), delay=<ms>, reset, truncate or malformed.";
                return false;
            }

            faults.Add(fault!);
        }

        return true;
    }

    /// <summary>Parses one fault.</summary>
    public static bool TryParse(string text, out Fault? fault)
    {
        fault = null;
        var t = text.Trim().ToLowerInvariant();
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599)
        {
            fault = new Fault(FaultKind.Status, status);
        }
        else if (t.StartsWith("delay=", StringComparison.Ordinal) && int.TryParse(t[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 600_000)
        {
            fault = new Fault(FaultKind.Delay, 0, ms);
        }
        else
        {
            fault = t switch
            {
                "reset" => new Fault(FaultKind.Reset),
                "truncate" => new Fault(FaultKind.Truncate),
                "malformed" => new Fault(FaultKind.Malformed),
                _ => null,
            };
        }

        return fault is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FaultKind.Status => Status.ToString(CultureInfo.InvariantCulture),
        FaultKind.Delay => "delay=" + DelayMilliseconds.ToString(CultureInfo.InvariantCulture),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
