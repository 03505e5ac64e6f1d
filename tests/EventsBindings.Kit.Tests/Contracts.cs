using EventsBindings.Spec;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Tests;

/// <summary>The repository's contracts, parsed once.</summary>
internal static class Contracts
{
    private static readonly Lazy<IReadOnlyList<ContractSpec>> All = new(() =>
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "contracts");
        var result = new List<ContractSpec>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
        {
            var parsed = ContractReader.ParseFile(file);
            Assert.True(parsed.Success, file + ": " + string.Join("\n", parsed.Diagnostics));
            result.Add(parsed.Contract!);
        }

        Assert.True(result.Count >= 3, "every contract of contracts/ is expected");
        return result;
    });

    public static IReadOnlyList<ContractSpec> Everything => All.Value;

    public static ContractSpec Named(string name) => Everything.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Everything)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static string Fixture(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory, "fixtures" }.Concat(parts).ToArray());

    /// <summary>The repository root (the folder holding EventsBindings.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventsBindings.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("EventsBindings.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "eb-kit-tests", name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
