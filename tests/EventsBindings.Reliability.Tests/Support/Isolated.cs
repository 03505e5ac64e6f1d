using Xunit;

namespace EventsBindings.Reliability.Tests.Support;

/// <summary>
/// Tests that measure the process (the soak's heap growth) run alone, after the parallel ones: another test's
/// datasets and mutants in the same heap would hide a leak or fake one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Isolated
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Isolated (measures the process)";
}
