using System.Globalization;
using System.Text;
using System.Xml;

namespace EventsBindings.Kit.Verify;

/// <summary>The outcome of a check.</summary>
public enum CheckStatus
{
    /// <summary>The server did what the contract says.</summary>
    Pass,

    /// <summary>The server departs from the contract in a way clients tolerate (drift): undeclared properties, unknown enum values.</summary>
    Warn,

    /// <summary>The server departs from the contract.</summary>
    Fail,

    /// <summary>The check could not run (nothing to sample, request budget exhausted, not applicable).</summary>
    Skip,
}

/// <summary>One check's result.</summary>
/// <param name="Name">What was checked, such as <c>Events: paging</c>.</param>
/// <param name="Status">Pass, warn, fail or skip.</param>
/// <param name="Reason">A short reason, for people.</param>
/// <param name="Requests">The requests sent, as request lines with the status (no secrets).</param>
/// <param name="Duration">How long the check took.</param>
public sealed record CheckResult(string Name, CheckStatus Status, string Reason, IReadOnlyList<string> Requests, TimeSpan Duration)
{
    /// <summary>The requests and the reason on one line.</summary>
    public string Evidence => Requests.Count == 0 ? Reason : string.Join("; ", Requests) + " - " + Reason;
}

/// <summary>The results of a verification run against one server.</summary>
public sealed class VerifyReport
{
    /// <summary>Creates a report.</summary>
    public VerifyReport(string contractName, string baseUrl, IReadOnlyList<CheckResult> checks, int requestsSent, TimeSpan duration)
    {
        ContractName = contractName;
        BaseUrl = baseUrl;
        Checks = checks;
        RequestsSent = requestsSent;
        Duration = duration;
    }

    /// <summary>The contract's name.</summary>
    public string ContractName { get; }

    /// <summary>The base URL checked.</summary>
    public string BaseUrl { get; }

    /// <summary>Every check, in the order run.</summary>
    public IReadOnlyList<CheckResult> Checks { get; }

    /// <summary>Requests sent.</summary>
    public int RequestsSent { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Duration { get; }

    /// <summary>True when no check failed.</summary>
    public bool Succeeded => Checks.All(c => c.Status != CheckStatus.Fail);

    /// <summary>0 when no check failed, 1 otherwise (for a process exit code).</summary>
    public int ExitCode => Succeeded ? 0 : 1;

    /// <summary>Checks with this status.</summary>
    public int Count(CheckStatus status) => Checks.Count(c => c.Status == status);

    /// <summary>Writes a readable table of the checks.</summary>
    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine($"Contract checks: {ContractName} at {BaseUrl}");
        var nameWidth = Math.Min(48, Math.Max(5, Checks.Count == 0 ? 5 : Checks.Max(c => c.Name.Length)));
        writer.WriteLine($"{"RESULT",-6}  {"CHECK".PadRight(nameWidth)}  EVIDENCE");
        foreach (var check in Checks)
        {
            var status = check.Status switch
            {
                CheckStatus.Pass => "pass",
                CheckStatus.Warn => "WARN",
                CheckStatus.Fail => "FAIL",
                _ => "skip",
            };
            var name = check.Name.Length > nameWidth ? check.Name.Substring(0, nameWidth - 1) + "…" : check.Name.PadRight(nameWidth);
            writer.WriteLine($"{status,-6}  {name}  {Shorten(check.Evidence, 400)}");
        }

        writer.WriteLine(
            $"{Count(CheckStatus.Pass)} passed, {Count(CheckStatus.Warn)} warned, {Count(CheckStatus.Fail)} failed, {Count(CheckStatus.Skip)} skipped; {RequestsSent} requests in {Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.");
    }

    /// <summary>The table as text.</summary>
    public override string ToString()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteTable(writer);
        return writer.ToString();
    }

    /// <summary>Writes the checks as JUnit XML (one test suite, one test case per check).</summary>
    public void WriteJUnit(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CloseOutput = false };
        using var xml = XmlWriter.Create(stream, settings);
        WriteJUnit(xml, new[] { this });
    }

    /// <summary>Writes several reports as one JUnit XML document (one test suite per report).</summary>
    public static void WriteJUnit(Stream stream, IEnumerable<VerifyReport> reports)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CloseOutput = false };
        using var xml = XmlWriter.Create(stream, settings);
        WriteJUnit(xml, reports.ToList());
    }

    private static void WriteJUnit(XmlWriter xml, IReadOnlyList<VerifyReport> reports)
    {
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "EventsBindings contract checks");
        xml.WriteAttributeString("tests", Num(reports.Sum(r => r.Checks.Count)));
        xml.WriteAttributeString("failures", Num(reports.Sum(r => r.Count(CheckStatus.Fail))));
        xml.WriteAttributeString("skipped", Num(reports.Sum(r => r.Count(CheckStatus.Skip))));
        xml.WriteAttributeString("time", Seconds(TimeSpan.FromTicks(reports.Sum(r => r.Duration.Ticks))));
        foreach (var report in reports)
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", "contract " + report.ContractName);
            xml.WriteAttributeString("tests", Num(report.Checks.Count));
            xml.WriteAttributeString("failures", Num(report.Count(CheckStatus.Fail)));
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("skipped", Num(report.Count(CheckStatus.Skip)));
            xml.WriteAttributeString("time", Seconds(report.Duration));
            xml.WriteStartElement("properties");
            Property(xml, "baseUrl", report.BaseUrl);
            Property(xml, "requests", Num(report.RequestsSent));
            xml.WriteEndElement();
            foreach (var check in report.Checks)
            {
                var colon = check.Name.IndexOf(": ", StringComparison.Ordinal);
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", report.ContractName + (colon > 0 ? "." + check.Name.Substring(0, colon) : string.Empty));
                xml.WriteAttributeString("name", colon > 0 ? check.Name.Substring(colon + 2) : check.Name);
                xml.WriteAttributeString("time", Seconds(check.Duration));
                switch (check.Status)
                {
                    case CheckStatus.Fail:
                        xml.WriteStartElement("failure");
                        xml.WriteAttributeString("message", Shorten(check.Reason, 1000));
                        xml.WriteString(check.Evidence);
                        xml.WriteEndElement();
                        break;
                    case CheckStatus.Skip:
                        xml.WriteStartElement("skipped");
                        xml.WriteAttributeString("message", Shorten(check.Reason, 1000));
                        xml.WriteEndElement();
                        break;
                }

                xml.WriteElementString("system-out", (check.Status == CheckStatus.Warn ? "WARNING (drift): " : string.Empty) + check.Evidence);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", value);
        xml.WriteEndElement();
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text.Substring(0, max - 1) + "…";
}
