@echo off
rem Build entry point (Windows). Same verbs as build.sh: (none) | test | pack | sample | bench
setlocal enabledelayedexpansion
cd /d "%~dp0"
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
if "%CONFIGURATION%"=="" set CONFIGURATION=Release
if "%VERSION%"=="" (
  for /f %%i in ('powershell -NoProfile -Command "(Get-Date).ToUniversalTime().ToString('yyyyMMddHHmmss')"') do set STAMP=%%i
  set VERSION=0.1.0-local.!STAMP!
)
set ARTIFACTS=%CD%\artifacts
set VERB=%1
if "%VERB%"=="" set VERB=all

if /i "%VERB%"=="all" (
  dotnet build ConcurrencyAnalyzers.sln -c %CONFIGURATION% || exit /b 1
  dotnet test ConcurrencyAnalyzers.sln -c %CONFIGURATION% --no-build || exit /b 1
  dotnet pack src\ConcurrencyAnalyzers.Package\ConcurrencyAnalyzers.Package.csproj -c %CONFIGURATION% -o "%ARTIFACTS%" -p:Version=%VERSION% || exit /b 1
  exit /b 0
)
if /i "%VERB%"=="test" (
  dotnet build ConcurrencyAnalyzers.sln -c %CONFIGURATION% || exit /b 1
  dotnet test ConcurrencyAnalyzers.sln -c %CONFIGURATION% --no-build
  exit /b !ERRORLEVEL!
)
if /i "%VERB%"=="pack" (
  dotnet pack src\ConcurrencyAnalyzers.Package\ConcurrencyAnalyzers.Package.csproj -c %CONFIGURATION% -o "%ARTIFACTS%" -p:Version=%VERSION%
  exit /b !ERRORLEVEL!
)
if /i "%VERB%"=="sample" (
  if exist "%ARTIFACTS%\local-feed" rmdir /s /q "%ARTIFACTS%\local-feed"
  dotnet pack src\ConcurrencyAnalyzers.Package\ConcurrencyAnalyzers.Package.csproj -c %CONFIGURATION% -o "%ARTIFACTS%\local-feed" -p:Version=%VERSION% || exit /b 1
  set NUGET_PACKAGES=%ARTIFACTS%\sample-packages
  dotnet build samples\OrderService\OrderService.csproj --no-incremental -p:ConcurrencyAnalyzersVersion=%VERSION% -p:RestoreAdditionalProjectSources="%ARTIFACTS%\local-feed" > "%ARTIFACTS%\sample-build.log" 2>&1
  if errorlevel 1 ( type "%ARTIFACTS%\sample-build.log" & exit /b 1 )
  findstr /r /c:"warning CONC[0-9][0-9][0-9]" /c:"error CONC[0-9][0-9][0-9]" "%ARTIFACTS%\sample-build.log"
  exit /b 0
)
if /i "%VERB%"=="bench" (
  if not exist benchmarks ( echo no benchmark suites yet 1>&2 & exit /b 2 )
  dotnet run -c Release --project benchmarks\ConcurrencyAnalyzers.Runtime.Benchmarks -- %2 %3 %4
  if errorlevel 1 exit /b !ERRORLEVEL!
  rem The process pool's counterpart: Python's ProcessPoolExecutor, same job, same machine.
  where python >nul 2>&1 && python benchmarks\ConcurrencyAnalyzers.Runtime.Benchmarks\python\process_pool.py
  exit /b 0
)
echo usage: build.cmd [test^|pack^|sample^|bench] 1>&2
exit /b 2
