using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>
/// The mock's next-link positions (a pageToken parameter): the last item's sort key and its id (the unique
/// tiebreak of every order index), base64url-encoded and signed per API and endpoint, so that items sharing a
/// millisecond are neither repeated nor skipped, items appended during a walk are met, and a token the mock did
/// not issue is told apart (400 naming the parameter). The rest of the query travels in the link beside it.
/// </summary>
internal static class PageTokens
{
    private const string Version = "p1";

    /// <summary>A position: the key of the order field and the id of the last item of a page.</summary>
    public sealed record Position(Cell Key, Cell Id);

    public static string Encode(ContractSpec contract, EndpointSpec endpoint, Position position)
    {
        var payload = Version + "|" + Write(position.Key) + "|" + Write(position.Id);
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url(bytes) + "." + Base64Url(Mac(contract, endpoint, bytes));
    }

    /// <summary>The position of a token, or null when the mock did not issue it (for this endpoint).</summary>
    public static Position? Decode(ContractSpec contract, EndpointSpec endpoint, string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || FromBase64Url(token[..dot]) is not { } bytes || FromBase64Url(token[(dot + 1)..]) is not { } mac
            || !CryptographicOperations.FixedTimeEquals(mac, Mac(contract, endpoint, bytes)))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('|');
        return parts.Length == 3 && parts[0] == Version && Read(parts[1]) is { } key && Read(parts[2]) is { } id ? new Position(key, id) : null;
    }

    /// <summary>True when an item (its order key and id) comes after the position in the query's direction.</summary>
    public static bool After(in Cell key, in Cell id, Position position, bool descending)
    {
        var c = Cell.Compare(key, position.Key);
        if (c == 0)
        {
            c = Cell.Compare(id, position.Id);
        }

        return descending ? c < 0 : c > 0;
    }

    private static byte[] Mac(ContractSpec contract, EndpointSpec endpoint, byte[] payload)
    {
        // Not a secret: the mock only needs to recognise its own tokens (and those of this endpoint).
        var key = Encoding.UTF8.GetBytes("eventsbindings-mock/" + contract.Name + "/" + endpoint.Name);
        return HMACSHA256.HashData(key, payload)[..12];
    }

    private static string Write(Cell cell) => cell.Kind switch
    {
        CellKind.Text => "t" + cell.Text,
        CellKind.Number => "n" + cell.Number.ToString(CultureInfo.InvariantCulture),
        CellKind.Real => "r" + cell.Number.ToString(CultureInfo.InvariantCulture),
        CellKind.Bool => "b" + cell.Number.ToString(CultureInfo.InvariantCulture),
        CellKind.Null => "z",
        _ => "m",
    };

    private static Cell? Read(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var rest = text[1..];
        long Number() => long.Parse(rest, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        try
        {
            return text[0] switch
            {
                't' => Cell.Of(rest),
                'n' => Cell.Of(Number()),
                'r' => new Cell(CellKind.Real, Number(), null),
                'b' => new Cell(CellKind.Bool, Number(), null),
                'z' => Cell.Null,
                'm' => Cell.Missing,
                _ => null,
            };
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var body = text.Replace('-', '+').Replace('_', '/');
        body = body.PadRight(body.Length + ((4 - (body.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
