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
            reference[p] = (await _fx.GetAsync(parts[0], parts[1])).Body;
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
}
