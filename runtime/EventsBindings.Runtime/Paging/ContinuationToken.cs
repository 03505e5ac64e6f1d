using System.Globalization;
using System.Text;

namespace EventsBindings.Runtime.Paging;

/// <summary>
/// Continuation tokens: <c>eb1.</c> followed by base64url of <c>kind:position</c>. Opaque to users, stable
/// across processes, and checked for their kind so that an offset token is not taken for a cursor.
/// </summary>
public static class ContinuationToken
{
    private const string Prefix = "eb1.";

    /// <summary>The kind of a cursor token.</summary>
    public const string CursorKind = "cursor";

    /// <summary>The kind of an offset token.</summary>
    public const string OffsetKind = "offset";

    /// <summary>The kind of a next-link token (its position is the next link or the server's opaque token).</summary>
    public const string LinkKind = "link";

    /// <summary>Creates a token whose position is text (a next link, or a server's opaque token).</summary>
    /// <param name="kind">The paging kind.</param>
    /// <param name="position">Where the next page starts.</param>
    /// <returns>The token.</returns>
    public static string CreateText(string kind, string position)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(position);
        var bytes = Encoding.UTF8.GetBytes(kind + ":" + position);
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a token whose position is text.</summary>
    /// <param name="token">The token.</param>
    /// <param name="kind">The kind the caller pages with.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException">The token is malformed or of another kind.</exception>
    public static string ParseText(string token, string kind)
    {
        var (actual, position) = Split(token);
        if (actual != kind)
        {
            throw new ArgumentException($"The continuation token belongs to {actual} paging, not {kind} paging.", nameof(token));
        }

        return position;
    }

    /// <summary>Creates a token.</summary>
    /// <param name="kind">The paging kind.</param>
    /// <param name="position">Where the next page starts.</param>
    /// <returns>The token.</returns>
    public static string Create(string kind, long position)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var bytes = Encoding.UTF8.GetBytes(kind + ":" + position.ToString(CultureInfo.InvariantCulture));
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a token.</summary>
    /// <param name="token">The token.</param>
    /// <param name="kind">The kind the caller pages with.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException">The token is malformed or of another kind.</exception>
    public static long Parse(string token, string kind)
    {
        var (actual, text) = Split(token);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var position))
        {
            throw new ArgumentException(actual == LinkKind ? $"The continuation token belongs to {actual} paging, not {kind} paging." : "The continuation token is corrupt.", nameof(token));
        }

        if (actual != kind)
        {
            throw new ArgumentException($"The continuation token belongs to {actual} paging, not {kind} paging.", nameof(token));
        }

        return position;
    }

    private static (string Kind, string Position) Split(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException("Not a continuation token of this library.", nameof(token));
        }

        var body = token.Substring(Prefix.Length).Replace('-', '+').Replace('_', '/');
        body = body.PadRight(body.Length + ((4 - (body.Length % 4)) % 4), '=');
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The continuation token is corrupt.", nameof(token), ex);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new ArgumentException("The continuation token is corrupt.", nameof(token));
        }

        return (text.Substring(0, colon), text.Substring(colon + 1));
    }
}
