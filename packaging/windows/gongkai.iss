;;; Inno Setup script for gongkai (政府信息公开年报). UTF-8 with BOM: Inno Setup reads a script
;;; without a BOM in the ANSI code page, which would garble the Chinese text.
;;;
;;; Build on Windows (Inno Setup 6.3 or later) AFTER the one-folder build:
;;;     python packaging\build.py --installer
;;; which runs   ISCC /DAppVersion=<gongkai_desktop.__version__> /DSourceDir=dist\gongkai ... gongkai.iss
;;; Compiling from the Inno Setup IDE also works: build.py writes build\version.iss, included below.
;;;
;;; Per-user install, no administrator rights: %LOCALAPPDATA%\Programs\gongkai.
;;; The reports are NOT in the program folder: they live in %LOCALAPPDATA%\gongkai_desktop
;;; (reports.db and backups\), which neither an upgrade nor the uninstaller touches. An upgrade
;;; replaces the program files; the program migrates the database (taking a backup first) the
;;; next time it opens it.

#ifndef AppVersion
  #if FileExists(AddBackslash(SourcePath) + "..\..\build\version.iss")
    #include AddBackslash(SourcePath) + "..\..\build\version.iss"
  #else
    #error AppVersion is not defined: run "python packaging\build.py --installer" (or pass /DAppVersion=x.y.z)
  #endif
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\..\dist\gongkai"
#endif
#ifndef RepoRoot
  #define RepoRoot AddBackslash(SourcePath) + "..\.."
#endif

#define AppName "政府信息公开年报"
#define AppExe "gongkai-gui.exe"
; Written out, not as %LOCALAPPDATA%: a "%" in an Inno Setup message is a placeholder character.
#define DataDir "C:\Users\（您的用户名）\AppData\Local\gongkai_desktop"

[Setup]
; The AppId identifies the program across versions: never change it, or upgrades install side by side.
AppId={{75838398-B9BA-4FE0-8636-F9FF8F02490E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=gongkai
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序

; Per user, no UAC prompt.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\gongkai
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousAppDir=yes

; Windows 10/11, x64 only (Qt 6 and current Python do not run on Windows 7 or 32-bit Windows).
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

SetupIconFile={#RepoRoot}\resources\icon.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
ShowLanguageDialog=no
Compression=lzma2/max
SolidCompression=yes
OutputBaseFilename=gongkai-{#AppVersion}-setup
; An open copy of the program is closed (via Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
#else
; No Chinese translation in this Inno Setup: the wizard's buttons are English, the messages
; below (the ones about the reports) are still Chinese.
Name: "zh"; MessagesFile: "compiler:Default.isl"
#endif

[Messages]
WelcomeLabel2=将在您的电脑上安装 [name/ver]。%n%n只为当前 Windows 用户安装，不需要管理员权限。%n%n如果已安装旧版本，将直接升级；已有的年报数据会保留，新版本第一次打开时自动完成数据升级（升级前自动备份）。
FinishedLabel=[name] 已安装完成，可从“开始”菜单启动。%n%n年报数据保存在 {#DataDir} 文件夹（不在程序文件夹中），升级和卸载都不会删除它。
ConfirmUninstall=确定要卸载 %1 吗？%n%n卸载只删除程序，不删除您的年报数据。数据保存在 {#DataDir} 文件夹。
UninstalledAll=%1 已卸载。%n%n您的年报数据没有删除，仍在 {#DataDir} 文件夹（reports.db 和 backups 子文件夹）。重新安装后可继续使用；确定不再需要时，可先备份再手动删除该文件夹。
UninstalledMost=%1 卸载完成。%n%n有些文件无法删除，可以手动删除程序文件夹。年报数据仍在 {#DataDir} 文件夹，没有删除。

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："; Flags: unchecked

[InstallDelete]
; An upgrade first removes the previous version's bundled libraries, so no stale file of an
; older Qt or Python survives next to the new ones. This is the program folder only.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "编制、检查并导出政府信息公开工作年度报告"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "立即启动 {#AppName}"; Flags: nowait postinstall skipifsilent

; Deliberately no [UninstallDelete] for the data folder: uninstalling never deletes reports.
