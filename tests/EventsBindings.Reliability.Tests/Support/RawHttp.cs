using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace EventsBindings.Reliability.Tests.Support;

/// <summary>A response read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The Content-Type header, or empty.</summary>
    public string ContentType => Headers.TryGetValue("Content-Type", out var v) ? v : string.Empty;
}

/// <summary>
/// Sends requests as raw bytes over a socket, so that nothing (HttpClient, Uri) cleans them up first:
/// CR/LF, control characters, invalid UTF-8, dot segments, duplicated headers stay as written.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> (complete, with Connection: close) and reads the response until the server closes.</summary>
    public static async Task<RawResponse?> SendAsync(Uri server, byte[] request, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(request, cts.Token);
        await stream.FlushAsync(cts.Token);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(chunk, cts.Token);
                if (n == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, n);
                if (IsComplete(buffer))
                {
                    break;
                }
            }
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // The server may reset after answering a request it refused.
        }

        return Parse(buffer.ToArray());
    }

    /// <summary>Builds a request from a request line target and headers (each "Name: value", written verbatim).</summary>
    public static byte[] Build(string method, byte[] target, IEnumerable<byte[]> headers, byte[]? body = null)
    {
        using var ms = new MemoryStream();
        void Write(string s) => ms.Write(Encoding.ASCII.GetBytes(s));
        Write(method + " ");
        ms.Write(target);
        Write(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var h in headers)
        {
            ms.Write(h);
            Write("\r\n");
        }

        if (body is not null)
        {
            Write("Content-Type: application/json\r\nContent-Length: " + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n");
        }

        Write("\r\n");
        if (body is not null)
        {
            ms.Write(body);
        }

        return ms.ToArray();
    }

    private static bool IsComplete(MemoryStream buffer)
    {
        var data = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        var head = Encoding.ASCII.GetString(data[..end]);
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line["Content-Length:".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return data.Length >= end + 4 + length;
            }
        }

        return false;
    }

    private static RawResponse? Parse(byte[] data)
    {
        var end = data.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        var lines = Encoding.ASCII.GetString(data, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var body = data.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var result = new MemoryStream();
        var i = 0;
        while (i < body.Length)
        {
            var lineEnd = body.AsSpan(i).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var size = int.Parse(Encoding.ASCII.GetString(body, i, lineEnd).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            i += lineEnd + 2;
            if (size == 0 || i + size > body.Length)
            {
                break;
            }

            result.Write(body, i, size);
            i += size + 2;
        }

        return result.ToArray();
    }
}
