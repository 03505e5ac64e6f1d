using EventsBindings.Spec;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Spec.Tests;

public sealed class ContractLoadTests(ITestOutputHelper output)
{
    public static TheoryData<string> Contracts => new() { "adminbyrequest.events.yaml", "banyan.events.yaml" };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Contract_loads_without_diagnostics(string file)
    {
        var result = ContractReader.ParseFile(Path.Combine(AppContext.BaseDirectory, "contracts", file));
        foreach (var d in result.Diagnostics)
        {
            output.WriteLine(d.ToString());
        }

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Contract);
    }
}
