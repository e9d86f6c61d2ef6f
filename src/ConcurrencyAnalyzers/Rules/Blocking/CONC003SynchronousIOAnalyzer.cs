using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC003: a synchronous call in async context whose async twin binds right there (<c>stream.Read</c> →
/// <c>await stream.ReadAsync</c>), a call the user listed as blocking, and a <c>using</c> of a type whose own
/// <c>DisposeAsync</c> can write (<c>using</c> → <c>await using</c>), and a constructor that connects
/// (<c>new TcpClient(host, port)</c> → <c>new TcpClient()</c> + <c>await ConnectAsync</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC003SynchronousIOAnalyzer : BlockingRuleAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.SynchronousIO,
        title: "Use the asynchronous counterpart of synchronous I/O",
        messageFormat: "{0} blocks the thread in async code; {1}",
        RuleCategories.Blocking,
        description: "Synchronous I/O inside async code holds a thread for the whole operation. When the API has an async " +
                     "counterpart that fits the call, await it; when a type's disposal writes, use 'await using'.");

    public CONC003SynchronousIOAnalyzer()
        : base(Descriptor, OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.Using, OperationKind.UsingDeclaration)
    {
    }
}
