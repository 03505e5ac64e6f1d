using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>Many clients at once get consistent answers and no errors.</summary>
[Collection(MockCollection.Name)]
public sealed class ParallelTests
{
    private readonly TestMockServerFixture _fx;

    public ParallelTests(TestMockServerFixture fx) => _fx = fx;

    [Fact]
    public async Task Many_parallel_clients_get_the_same_answers_without_errors()
    {
        string[] paths = { "AdminByRequest|/events?take=20", "AdminByRequest|/events?last=5", "Banyan|/events?limit=20&type=Access", "Banyan|/events/count?severity=WARN", "Banyan|/events/feed?limit=5" };
        var reference = new Dictionary<string, string>();
        foreach (var p in paths)
        {
            var parts = p.Split('|');
            var (status, body, _) = await _fx.GetAsync(parts[0], parts[1]);
            Assert.Equal(200, status);
            // A reference that is empty (no item, a zero count) would make the comparison below weak.
            using var json = System.Text.Json.JsonDocument.Parse(body);
            Assert.True(HasContent(json.RootElement), $"{p} answered nothing to compare: {body}");
            reference[p] = body;
        }

        var tasks = Enumerable.Range(0, 24).Select(async client =>
        {
            for (var i = 0; i < 15; i++)
            {
                var p = paths[(client + i) % paths.Length];
                var parts = p.Split('|');
                var (status, body, _) = await _fx.GetAsync(parts[0], parts[1]);
                Assert.Equal(200, status);
                Assert.Equal(reference[p], body);
            }
        });
        await Task.WhenAll(tasks);
    }

    /// <summary>A non-empty array, a non-zero number, or an object with such a member (an envelope).</summary>
    private static bool HasContent(System.Text.Json.JsonElement e) => e.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Array => e.GetArrayLength() > 0,
        System.Text.Json.JsonValueKind.Number => e.GetDouble() != 0,
        System.Text.Json.JsonValueKind.Object => e.EnumerateObject().Any(m => HasContent(m.Value)),
        _ => false,
    };
}
