using System.Net;
using System.Text;
using System.Text.Json;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Json;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

// Native-AOT smoke check: for each "<contract> <file> [envelope]" triple given, reads the file (a
// documented list payload) with the generated converters, writes it back and compares the JSON, then
// lists the same payload through the generated client over an in-memory handler. Exit code 0 and
// one "ok" line per file when everything held.
if (args.Length == 0 || args.Length % 3 != 0)
{
    Console.Error.WriteLine("usage: EventsBindings.Aot.Smoke (<AdminByRequest|Banyan> <file.json> <envelope|->)...");
    return 2;
}

var failures = 0;
for (var i = 0; i < args.Length; i += 3)
{
    var (contract, file, envelope) = (args[i], args[i + 1], args[i + 2] == "-" ? null : args[i + 2]);
    var bytes = File.ReadAllBytes(file);
    try
    {
        var (written, listed) = contract switch
        {
            "AdminByRequest" => await Smoke.RunAsync(bytes, envelope, ContractJson.Read<Abr.Event>, ContractJson.Write, static http => new Abr.AdminByRequestClient(http, Smoke.Base, new EventsKeyCredential("smoke")).GetEventsAsync()),
            "Banyan" => await Smoke.RunAsync(bytes, envelope, ContractJson.Read<Banyan.Event>, ContractJson.Write, static http => new Banyan.BanyanClient(http, Smoke.Base, new EventsKeyCredential("smoke")).GetEventsAsync()),
            _ => throw new ArgumentException($"unknown contract '{contract}'"),
        };

        using var expected = JsonDocument.Parse(bytes);
        using var actual = JsonDocument.Parse(written);
        if (!JsonElement.DeepEquals(expected.RootElement, actual.RootElement))
        {
            Console.Error.WriteLine($"{contract} {file}: the written JSON differs: {Encoding.UTF8.GetString(written)}");
            failures++;
            continue;
        }

        Console.WriteLine($"ok {contract} {Path.GetFileName(file)}: {listed} items round-tripped and listed");
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"{contract} {file}: {ex.GetType().Name}: {ex.Message}");
        failures++;
    }
}

return failures == 0 ? 0 : 1;

/// <summary>The round trip and the client listing, for any generated model.</summary>
internal static class Smoke
{
    public static readonly Uri Base = new("http://aot.smoke/");

    public static async Task<(byte[] Written, int Listed)> RunAsync<T>(byte[] payload, string? envelope, JsonReadFunc<T> read, Action<Utf8JsonWriter, T> write, Func<HttpClient, IAsyncEnumerable<T>> list)
    {
        var items = JsonPayload.ReadList(payload, envelope, read);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (envelope is not null)
            {
                writer.WriteStartObject();
                writer.WritePropertyName(envelope);
            }

            writer.WriteStartArray();
            foreach (var item in items)
            {
                write(writer, item);
            }

            writer.WriteEndArray();
            if (envelope is not null)
            {
                writer.WriteEndObject();
            }
        }

        // The first request gets the payload; any further page is empty.
        var empty = Encoding.UTF8.GetBytes(envelope is null ? "[]" : $"{{\"{envelope}\":[]}}");
        var served = 0;
        using var http = new HttpClient(new StubHandler(() => Interlocked.Increment(ref served) == 1 ? payload : empty));
        var listed = 0;
        await foreach (var _ in list(http))
        {
            listed++;
        }

        if (listed != items.Count)
        {
            throw new InvalidOperationException($"the client listed {listed} items, the payload holds {items.Count}");
        }

        return (buffer.ToArray(), listed);
    }

    private sealed class StubHandler(Func<byte[]> body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body()) { Headers = { ContentType = new("application/json") } } });
    }
}
