namespace EventsBindings.Bench.Load;

public static class MockBench
{
    public static Task<BenchResult> RunAsync(Options options) => Task.FromResult(new BenchResult("todo"));
}
