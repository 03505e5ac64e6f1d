using EventsBindings.Spec;
using EventsBindings.Spec.Model;

namespace EventsBindings.Testing;

/// <summary>The contracts, read the same way the server reads them.</summary>
public static class TestContracts
{
    private static readonly Lazy<IReadOnlyList<ContractSpec>> All = new(() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "contracts"), "*.yaml")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => ContractReader.ParseFile(f))
            .Where(r => r.Success)
            .Select(r => r.Contract!)
            .ToList());

    public static IReadOnlyList<ContractSpec> Specs => All.Value;

    public static ContractSpec Get(string name) => Specs.Single(c => c.Name == name);

    public static string ContractsDirectory => Path.Combine(AppContext.BaseDirectory, "contracts");
}
