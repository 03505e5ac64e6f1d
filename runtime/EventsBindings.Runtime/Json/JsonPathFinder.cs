using System.Globalization;
using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>
/// Finds the JSON path of a token from its byte offset, by walking the item again. Readers only remember the
/// offset of a value that did not fit (nothing is tracked on input that fits); the path is worked out here,
/// once per drift record.
/// </summary>
internal static class JsonPathFinder
{
    /// <summary>
    /// The path of the token that starts at <paramref name="target"/> in <paramref name="item"/>: of a value, its
    /// own path; of the end of an object or array, the path of that object or array. Null when no token starts there.
    /// </summary>
    public static string? Find(ReadOnlySpan<byte> item, long target, string root)
    {
        var frames = new List<Frame>();
        var r = new Utf8JsonReader(item, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (r.Read())
            {
                switch (r.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1] = frames[^1] with { Name = r.GetString() };
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        if (r.TokenStartIndex == target)
                        {
                            return Build(root, frames);
                        }

                        continue;
                }

                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                }

                if (r.TokenStartIndex == target)
                {
                    return Build(root, frames);
                }

                if (r.TokenStartIndex > target)
                {
                    return null;
                }

                if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Add(new Frame(r.TokenType == JsonTokenType.StartArray, -1, null));
                }
                else if (frames.Count == 0)
                {
                    return null;
                }
            }
        }
        catch (JsonException)
        {
            // The item was read once already; a walk that fails here only loses the path, not the record.
        }

        return null;
    }

    /// <summary>The path segment of a property: <c>.name</c>, or <c>['odd name']</c>.</summary>
    public static string Segment(string property) =>
        IsPlain(property) ? "." + property : "['" + property.Replace("'", "\\'", StringComparison.Ordinal) + "']";

    /// <summary>The path segment of an array index.</summary>
    public static string Index(int index) => "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static string Build(string root, List<Frame> frames)
    {
        var sb = new System.Text.StringBuilder(root);
        foreach (var f in frames)
        {
            sb.Append(f.IsArray ? Index(f.Index) : Segment(f.Name ?? string.Empty));
        }

        return sb.ToString();
    }

    private static bool IsPlain(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '@' or '$'))
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Frame(bool IsArray, int Index, string? Name);
}
