using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Generator.Tests;

/// <summary>
/// Packs the generator and the runtime, then builds a fresh project that consumes them as NuGet
/// packages, exactly as a user would: proves the package carries the spec model and YamlDotNet
/// beside the generator, wires <c>EventsContract</c> items through its build files, and ships
/// nothing of Roslyn.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(DotnetCliCollection.Name)]
public sealed class PackageTests(ITestOutputHelper output)
{
    [Fact]
    public void A_fresh_project_builds_a_client_from_the_packages()
    {
        var root = GeneratorHarness.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("eventsbindings-pack-").FullName;

        // A version of its own per run: NuGet never re-extracts a version already in the machine's package
        // cache, so a fixed one would test whatever an earlier run (of any checkout) packed.
        var version = "1.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var feed = Path.Combine(work, "feed");
            Run(root, "dotnet", $"pack generator/EventsBindings.Generator -c Release -o \"{feed}\" -p:PackageVersion={version}");
            Run(root, "dotnet", $"pack runtime/EventsBindings.Runtime -c Release -o \"{feed}\" -p:PackageVersion={version}");

            using (var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"EventsBindings.Generator.{version}.nupkg")))
            {
                var entries = package.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("analyzers/dotnet/cs/EventsBindings.Generator.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/EventsBindings.Spec.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/YamlDotNet.dll", entries);
                Assert.Contains("build/EventsBindings.Generator.props", entries);
                Assert.Contains("build/EventsBindings.Generator.targets", entries);
                Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase) || e.Contains("System.Collections.Immutable", StringComparison.OrdinalIgnoreCase) || e.Contains("System.Text.Json", StringComparison.OrdinalIgnoreCase));
            }

            var app = Path.Combine(work, "app");
            Directory.CreateDirectory(Path.Combine(app, "contracts"));
            File.Copy(Path.Combine(root, "contracts", "adminbyrequest.events.yaml"), Path.Combine(app, "contracts", "adminbyrequest.events.yaml"));
            // A local folder feed next to the machine's usual sources; no registry is named.
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $$"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <NoWarn>$(NoWarn);NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="EventsBindings.Generator" Version="{{version}}" PrivateAssets="all" />
                    <PackageReference Include="EventsBindings.Runtime" Version="{{version}}" />
                    <EventsContract Include="contracts/*.yaml" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using EventsBindings.AdminByRequest;
                using EventsBindings.Runtime;
                var client = new AdminByRequestClient(new Uri("http://127.0.0.1:1/"), new EventsKeyCredential("k"));
                var query = new EventsQuery { Take = 10, Code = EventCode.AdminByRequestWorkstationInstalled };
                Console.WriteLine(client.Endpoint + " " + query.Take + " " + EventCode.KnownValues.Count);
                """);
            // Keep the repository's Directory.*.props out of the fresh project.
            File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(work, "Directory.Packages.props"), "<Project />");
            Run(app, "dotnet", "build -c Release");
            var printed = Run(app, "dotnet", "run -c Release --no-build");
            Assert.Contains("http://127.0.0.1:1/ 10 ", printed, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temp folder is cleaned by the OS.
            }
        }
    }

    private string Run(string directory, string file, string arguments) => DotnetCli.Run(output, directory, file, arguments);
}
