using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// Native AOT for real: publishes <c>tests/EventsBindings.Aot.Smoke</c> (PublishAot, both generated
/// clients) for this machine's runtime identifier, fails on any trim or AOT warning (IL2xxx/IL3xxx),
/// then runs the native binary on every documented list example of both contracts: each is read by
/// the generated converters, written back as the same JSON, and listed through the generated client.
/// Needs clang (the native linker), which <c>.ci/install-tools</c> installs.
/// </summary>
[Trait("Category", "Aot")]
[Collection(DotnetCliCollection.Name)]
public sealed partial class AotSmokeTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"\bIL[23]\d{3}\b")]
    private static partial Regex TrimOrAotWarning();

    [Fact]
    public void The_generated_clients_publish_as_native_AOT_without_warnings_and_run()
    {
        Assert.True(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsWindows());
        if (OperatingSystem.IsLinux())
        {
            Assert.True(OnPath("clang"), "clang (the native AOT linker) is not on PATH: run .ci/install-tools");
        }

        var root = GeneratorHarness.RepositoryRoot();
        var project = Path.Combine(root, "tests", "EventsBindings.Aot.Smoke");
        var rid = RuntimeInformation.RuntimeIdentifier;
        var work = Directory.CreateTempSubdirectory("eventsbindings-aot-").FullName;
        try
        {
            var arguments = DocumentedLists(work);
            Assert.True(arguments.Count >= 2, "both contracts have a documented list example");

            // Native code is compiled again on every run, so that its warnings are seen every time.
            var native = Path.Combine(project, "obj", "Release", "net10.0", rid, "native");
            if (Directory.Exists(native))
            {
                Directory.Delete(native, recursive: true);
            }

            // PublishAot=true is set by the project itself: given on the command line it would also reach
            // the netstandard2.0 generator and spec model, which cannot be AOT-compiled (NETSDK1207).
            var publish = DotnetCli.Start(output, root, "dotnet", $"publish \"{project}\" -c Release -r {rid} -o \"{Path.Combine(work, "out")}\"", minutes: 15);
            var warnings = publish.All.Split('\n').Where(line => TrimOrAotWarning().IsMatch(line)).Distinct().ToList();
            Assert.True(warnings.Count == 0, "trim/AOT warnings:\n" + string.Join('\n', warnings));
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed ({publish.ExitCode}):\n{publish.All}");
            Assert.Contains("Generating native code", publish.Stdout, StringComparison.Ordinal);

            var binary = Path.Combine(work, "out", OperatingSystem.IsWindows() ? "EventsBindings.Aot.Smoke.exe" : "EventsBindings.Aot.Smoke");
            Assert.True(File.Exists(binary), $"{binary} was not produced");
            var run = DotnetCli.Run(output, work, binary, string.Join(' ', arguments.Select(a => $"\"{a}\"")), minutes: 2);
            Assert.Equal(arguments.Count / 3, run.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS.
            }
        }
    }

    /// <summary>
    /// Writes every 2xx example of a list endpoint over each contract's dataset model to a file and
    /// returns the smoke program's arguments: contract, file, envelope (or "-").
    /// </summary>
    private static List<string> DocumentedLists(string directory)
    {
        var arguments = new List<string>();
        foreach (var file in new[] { "adminbyrequest.events.yaml", "banyan.events.yaml" })
        {
            var contract = ContractReader.ParseFile(GeneratorHarness.ContractPath(file)).Contract!;
            var listed = contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List && e.Response.Model == contract.Mock?.DatasetModel && e.Name == "Events");
            foreach (var endpoint in listed)
            {
                foreach (var example in endpoint.Examples.Where(x => x.Status is >= 200 and < 300))
                {
                    var path = Path.Combine(directory, $"{contract.Name}.{endpoint.Name}.{example.Name}.json");
                    File.WriteAllText(path, example.Body);
                    arguments.AddRange(new[] { contract.Name, path, endpoint.Response.Envelope ?? "-" });
                }
            }
        }

        return arguments;
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, tool)));
}
