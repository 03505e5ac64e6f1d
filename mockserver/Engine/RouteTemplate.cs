namespace EventsBindings.MockServer.Engine;

/// <summary>A path template of an endpoint (<c>/events/{id}</c>) matched segment by segment.</summary>
internal sealed class RouteTemplate
{
    private readonly string[] _segments;

    public RouteTemplate(string template)
    {
        Template = template;
        _segments = Split(template);
    }

    /// <summary>The template text.</summary>
    public string Template { get; }

    /// <summary>Number of literal segments (more literals win over placeholders).</summary>
    public int Literals => _segments.Count(s => !IsPlaceholder(s));

    /// <summary>Matches a path (relative to the API's prefix); returns the placeholder values or null.</summary>
    public Dictionary<string, string>? Match(string path)
    {
        var parts = Split(path);
        if (parts.Length != _segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            var segment = _segments[i];
            if (IsPlaceholder(segment))
            {
                values[segment[1..^1]] = Uri.UnescapeDataString(parts[i]);
            }
            else if (!string.Equals(segment, parts[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return values;
    }

    private static bool IsPlaceholder(string segment) => segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
