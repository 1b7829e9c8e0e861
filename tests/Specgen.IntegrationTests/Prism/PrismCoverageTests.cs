using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Specgen.IntegrationTests.Support;

namespace Specgen.IntegrationTests.Prism;

/// <summary>Every operation of the fragment has a contract test against the official document's mock.</summary>
public sealed class PrismCoverageTests
{
    [Fact]
    public void Every_operation_of_the_fragment_has_a_contract_test_named_after_it()
    {
        string[] operations = Regex.Matches(File.ReadAllText(RepositoryPaths.ThreadsFragment), @"^\s+operationId:\s*(\w+)\s*$", RegexOptions.Multiline)
            .Select(match => match.Groups[1].Value)
            .Distinct(StringComparer.Ordinal) // the polling extension names getRun again
            .ToArray();
        string[] tests = new[] { typeof(PrismContractTests), typeof(PrismRunContractTests) }
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(method => method.GetCustomAttributes<FactAttribute>().Any())
            .Select(method => method.Name)
            .ToArray();

        Assert.Equal(18, operations.Length);
        Assert.All(operations, operation => Assert.Contains(tests, test => test.StartsWith(operation + "_", StringComparison.Ordinal)));
    }
}
