using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Boundaries.CONC030AsyncVoidAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Boundaries.CONC030AsyncVoidCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Boundaries;

public class CONC030AsyncVoidTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult AsyncVoid(int location, string name) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(name);

    // async void methods and local functions that are not event handlers: reported, and they return Task after the
    // fix (a caller that calls them as a statement still compiles). Event handlers (object sender + EventArgs, a custom
    // EventArgs, a WPF-like RoutedEventArgs, an args type named like one) stay quiet.
    [Fact]
    public Task AsyncVoidMethods_Trigger_FixReturnsTask() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class OrderEventArgs : EventArgs { }
        class RoutedEventArgs : EventArgs { }
        record struct TickEventArgs(int Tick);

        class ViewModel
        {
            public async void {|#0:Load|}()
            {
                await Task.Delay(10);
            }

            private async void {|#1:Save|}(string path) => await File.WriteAllTextAsync(path, "x");

            public void Refresh()
            {
                Load();
                Save("a.txt");
                async void {|#2:Later|}() => await Task.Yield();
                Later();
            }

            private async void OnClick(object sender, EventArgs e) => await Task.Yield();
            private async void OnOrder(object? sender, OrderEventArgs e) => await Task.Yield();
            private async void OnLoaded(object sender, RoutedEventArgs e) => await Task.Yield();
            private async void OnTick(object? sender, TickEventArgs e) => await Task.Yield();
            private async Task Fine() => await Task.Yield();
            private void NotAsync() { }
        }
        """,
        /* lang=c#-test */ """
        class OrderEventArgs : EventArgs { }
        class RoutedEventArgs : EventArgs { }
        record struct TickEventArgs(int Tick);

        class ViewModel
        {
            public async Task Load()
            {
                await Task.Delay(10);
            }

            private async Task Save(string path) => await File.WriteAllTextAsync(path, "x");

            public void Refresh()
            {
                Load();
                Save("a.txt");
                async Task Later() => await Task.Yield();
                Later();
            }

            private async void OnClick(object sender, EventArgs e) => await Task.Yield();
            private async void OnOrder(object? sender, OrderEventArgs e) => await Task.Yield();
            private async void OnLoaded(object sender, RoutedEventArgs e) => await Task.Yield();
            private async void OnTick(object? sender, TickEventArgs e) => await Task.Yield();
            private async Task Fine() => await Task.Yield();
            private void NotAsync() { }
        }
        """,
        AsyncVoid(0, "Load"), AsyncVoid(1, "Save"), AsyncVoid(2, "Later"));

    // Where Task would not compile: an override, an interface implementation (implicit and explicit), a virtual method,
    // methods used as a void delegate (a method group given to an Action, one subscribed elsewhere in the compilation,
    // a local function passed as a callback). Reported, no fix.
    [Fact]
    public Task AsyncVoidThatMustStayVoid_Trigger_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        interface ICommand { void Execute(object? parameter); }
        interface IStartable { void Start(); }

        abstract class Page { protected virtual void OnAppearing() { } }

        class Home : Page, ICommand, IStartable
        {
            protected override async void {|#0:OnAppearing|}() => await Task.Yield();
            public async void {|#1:Execute|}(object? parameter) => await Task.Yield();
            async void IStartable.{|#2:Start|}() => await Task.Yield();
            protected virtual async void {|#3:Reload|}() => await Task.Yield();
            private async void {|#4:Tick|}() => await Task.Yield();
            public async void {|#5:Notify|}() => await Task.Yield();

            void Wire(List<Action> callbacks)
            {
                callbacks.Add(Tick);
                async void {|#6:Ping|}() => await Task.Yield();
                callbacks.Add(Ping);
            }
        }

        class Elsewhere
        {
            void Subscribe(Home home, List<Action> callbacks) => callbacks.Add(home.Notify);
        }
        """,
        AsyncVoid(0, "OnAppearing"), AsyncVoid(1, "Execute"), AsyncVoid(2, "Start"), AsyncVoid(3, "Reload"),
        AsyncVoid(4, "Tick"), AsyncVoid(5, "Notify"), AsyncVoid(6, "Ping"));
}
