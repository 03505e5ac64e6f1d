using EventsBindings.Spec.Model;

namespace EventsBindings.Spec.Tests;

/// <summary>Paths of the files copied beside the test assembly, and the parsed contracts.</summary>
internal static class TestFiles
{
    public const string Abr = "adminbyrequest.events.yaml";
    public const string Banyan = "banyan.events.yaml";

    private static readonly Lazy<ContractSpec> AbrContract = new(() => Load(Abr));
    private static readonly Lazy<ContractSpec> BanyanContract = new(() => Load(Banyan));

    /// <summary>Every contract file in contracts/ (by file name, ordered): what "every contract" tests run over.</summary>
    public static IReadOnlyList<string> All { get; } = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "contracts"), "*.events.yaml")
        .Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

    public static string ContractPath(string file) => Path.Combine(AppContext.BaseDirectory, "contracts", file);

    public static string ContractText(string file) => File.ReadAllText(ContractPath(file));

    public static string FixturePath(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory, "fixtures" }.Concat(parts).ToArray());

    public static string BrokenDirectory => Path.Combine(AppContext.BaseDirectory, "BrokenContracts");

    /// <summary>The repository root: the folder above the test assembly that holds EventsBindings.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static ContractSpec Contract(string file) => file == Abr ? AbrContract.Value : file == Banyan ? BanyanContract.Value : Load(file);

    private static ContractSpec Load(string file)
    {
        var result = ContractReader.ParseFile(ContractPath(file));
        return result.Contract ?? throw new InvalidOperationException($"{file} does not load: {string.Join(Environment.NewLine, result.Diagnostics)}");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventsBindings.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with EventsBindings.sln) is not above " + AppContext.BaseDirectory);
    }
}
