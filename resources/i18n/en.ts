<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
    <context>
        <name />
        <message>
            <location filename="../../agent_app/ui/panes.py" line="98" />
            <source>正在准备知识库索引…</source>
            <translation>Preparing the knowledge-base index…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="144" />
            <source>知识库暂不可用：{error}</source>
            <translation>Knowledge base unavailable: {error}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="145" />
            <source>知识库索引无法建立（{kind}），详见日志；可删除数据目录中的 kb_index.sqlite3 后重启。</source>
            <translation>The knowledge-base index could not be built ({kind}); see the log. Deleting kb_index.sqlite3 in the data directory and restarting may help.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="160" />
            <source>知识库</source>
            <translation>Knowledge base</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="161" />
            <source>未找到知识库内容目录 {path}：请重新安装程序，或用环境变量 AGENT_APP_KB_DIR 指向知识库目录。</source>
            <translation>Knowledge-base content directory {path} not found: reinstall the app, or point the AGENT_APP_KB_DIR environment variable at the knowledge-base directory.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="186" />
            <source>地图</source>
            <translation>Map</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="216" />
            <source>未配置语音识别模型：请在设置“语音识别模型目录”（settings.ini 的 vosk_model）或环境变量 {env} 中填写 Vosk 中文模型目录（如 vosk-model-small-cn-0.22）。</source>
            <translation>No speech model configured: set “Speech model directory” in the settings (vosk_model in settings.ini) or the {env} environment variable to a Chinese Vosk model directory (e.g. vosk-model-small-cn-0.22).</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="224" />
            <source>语音识别模型目录 {path} 不存在或不是 Vosk 模型（需含 am/、conf/、graph/）：请重新解压模型，或改正设置“语音识别模型目录”/ 环境变量 {env}。</source>
            <translation>Speech model directory {path} does not exist or is not a Vosk model (it needs am/, conf/ and graph/): unpack the model again, or correct “Speech model directory” in the settings or the {env} environment variable.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="246" />
            <source>演示模式：按“开始”回放培训场景（未装语音模型）。</source>
            <translation>Demo mode: press “Start” to replay a training scenario (no speech model installed).</translation>
        </message>
    </context>
    <context>
        <name>CallerHistory</name>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="51" />
            <source>来电历史</source>
            <translation>Caller history</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="77" />
            <source>共 {0} 件，未办结 {1} 件；近{2}天来电 {3} 次，投诉 {4} 次</source>
            <translation>{0} tickets, {1} open; {3} calls and {4} complaints in the last {2} days</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="80" />
            <source>（重复来电）</source>
            <translation> (repeat caller)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="82" />
            <source>来电历史 ({0})</source>
            <translation>Caller history ({0})</translation>
        </message>
    </context>
    <context>
        <name>CategoryPicker</name>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="84" />
            <source>分类：输入名称、关键词或拼音首字母，回车选定</source>
            <translation>Category: type a name, keyword or pinyin initials, Enter to select</translation>
        </message>
    </context>
    <context>
        <name>DispatchPanel</name>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="44" />
            <source>派单</source>
            <translation>Dispatch</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="45" />
            <source>主办单位</source>
            <translation>Lead unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="46" />
            <source>协办单位，多个用顿号分隔</source>
            <translation>Supporting units, separated by commas</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="48" />
            <source>办理时限：—</source>
            <translation>Time limit: —</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="50" />
            <source>派单 (Ctrl+Enter)</source>
            <translation>Dispatch (Ctrl+Enter)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="51" />
            <source>直接答复 (Ctrl+D)</source>
            <translation>Answer directly (Ctrl+D)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="52" />
            <source>并单 (Ctrl+M)</source>
            <translation>Merge (Ctrl+M)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="54" />
            <source>不予受理 (Ctrl+U)：告知途径…</source>
            <translation>Not accepted (Ctrl+U): refer to…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="59" />
            <source>一键转接</source>
            <translation>Quick transfer</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="64" />
            <source>即时转至{0}{1}，并记录转接时间</source>
            <translation>Transfer to {0} {1} now and record the transfer time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="70" />
            <source>主办</source>
            <translation>Lead</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="71" />
            <source>协办</source>
            <translation>Support</translation>
        </message>
    </context>
    <context>
        <name>KbFlagsView</name>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="156" />
            <source>&lt;b&gt;知识库反馈&lt;/b&gt;（话务员标记的有误条目和缺少的答复）</source>
            <translation>&lt;b&gt;Knowledge-base feedback&lt;/b&gt; (articles operators flagged as wrong, and missing answers)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="159" />
            <source>显示已处理</source>
            <translation>Show resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="160" />
            <source>刷新</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="161" />
            <source>标记已处理</source>
            <translation>Mark resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="211" />
            <source>待处理 {n} 条</source>
            <translation>{n} pending</translation>
        </message>
    </context>
    <context>
        <name>KnowledgePane</name>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="145" />
            <source>搜索知识库（留空则按通话内容自动推荐）</source>
            <translation>Search the knowledge base (leave empty for suggestions from the call)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="146" />
            <location filename="../../agent_app/ui/kb_pane.py" line="221" />
            <source>根据通话内容推荐</source>
            <translation>Suggested from the call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="160" />
            <source>插入答复</source>
            <translation>Insert answer</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="161" />
            <source>直接答复办结</source>
            <translation>Answer and close</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="162" />
            <source>标记有误</source>
            <translation>Flag as wrong</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="163" />
            <source>反馈缺失</source>
            <translation>Report missing</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="218" />
            <source>搜索结果</source>
            <translation>Search results</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="253" />
            <source>知识库检索失败：</source>
            <translation>Knowledge-base search failed: </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="268" />
            <source>暂无匹配的知识条目</source>
            <translation>No matching articles</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="283" />
            <source>承办单位：</source>
            <translation>Handling unit: </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="285" />
            <source>依据：</source>
            <translation>Basis: </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="287" />
            <source>示例内容，须核实</source>
            <translation>Sample content: verify before use</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="324" />
            <source>未找到合适的知识条目</source>
            <translation>No suitable article found</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="349" />
            <source>另有 {0} 份较早的草稿，本单结束后依次恢复。</source>
            <translation>{0} older drafts will be restored one by one after this call. </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="351" />
            <source>已恢复 {0} 自动保存的受理草稿，请核对后继续办理。</source>
            <translation>Restored the draft autosaved at {0}; check it and carry on. </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="355" />
            <source>按 Ctrl+N 可先受理新来电（草稿保留，下次启动时再恢复）。</source>
            <translation>Press Ctrl+N to take a new call first (the draft is kept and restored at the next start).</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="110" />
            <source>已记录知识库反馈，班长会处理。</source>
            <translation>Knowledge-base feedback recorded; the shift lead will handle it.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="225" />
            <source>同步未启动：{error}</source>
            <translation>Sync not started: {error}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="341" />
            <source>本席位未设置席位号：请在 settings.ini 的 [options] 中填写 seat（每个席位唯一）后重启；工单先保存在本机。</source>
            <translation>This seat has no seat ID: set seat under [options] in settings.ini (unique to each seat) and restart; tickets are kept on this computer meanwhile.</translation>
        </message>
    </context>
    <context>
        <name>MapPane</name>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="438" />
            <source>放大</source>
            <translation>Zoom in</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="439" />
            <source>缩小</source>
            <translation>Zoom out</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="440" />
            <source>全市</source>
            <translation>City</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="440" />
            <source>显示全市</source>
            <translation>Show the whole city</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="441" />
            <source>热力</source>
            <translation>Heat</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="441" />
            <source>显示工单热力图（班长）</source>
            <translation>Show the ticket heat map (shift lead)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="456" />
            <source>坐标：WGS-84（区界由 GCJ-02 转换，仅供示意）</source>
            <translation>Coordinates: WGS-84 (district boundaries converted from GCJ-02, indicative only)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="459" />
            <source>坐标：WGS-84；底图 {host}（{crs}）</source>
            <translation>Coordinates: WGS-84; base map {host} ({crs})</translation>
        </message>
    </context>
    <context>
        <name>ProposalChip</name>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="178" />
            <source>来自：“{words}” {time}</source>
            <translation>From: “{words}” {time}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="185" />
            <source>采用</source>
            <translation>Accept</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="186" />
            <source>填入工单</source>
            <translation>Fill into the ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="187" />
            <source>忽略</source>
            <translation>Ignore</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="188" />
            <source>不采用这条建议</source>
            <translation>Reject this suggestion</translation>
        </message>
    </context>
    <context>
        <name>RoleDialog</name>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="21" />
            <source>话务员：接听来电、受理派单</source>
            <translation>Operator: answer calls, take and dispatch tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="22" />
            <source>班长：复核工单、退回改派、回访与三率</source>
            <translation>Shift lead: review tickets, return and reassign, callbacks and the three rates (response, resolution, satisfaction)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="23" />
            <source>培训师：演示模式，脚本来电与评分</source>
            <translation>Trainer: demo mode, scripted calls and scoring</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="28" />
            <source>选择角色</source>
            <translation>Choose role</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="30" />
            <source>请选择本次登录的角色：</source>
            <translation>Choose your role for this session:</translation>
        </message>
    </context>
    <context>
        <name>SuggestionChips</name>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="31" />
            <source>建议（内容栏回车采纳首选）</source>
            <translation>Suggestions (Enter in Details accepts the top one)</translation>
        </message>
    </context>
    <context>
        <name>SyncStatus</name>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="111" />
            <source>待同步 {count} 条</source>
            <translation>{count} to sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="117" />
            <source>演示模式：不同步</source>
            <translation>Demo mode: no sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="118" />
            <source>演示和培训数据只留在本机，永不上传到中心库。</source>
            <translation>Demo and training data stay on this computer and are never uploaded to the central database.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="123" />
            <source>同步：未配置中心库</source>
            <translation>Sync: no central database set</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="125" />
            <source>工单保存在本机。请在设置“中心数据库连接”（settings.ini 的 central_url）或环境变量 AGENT_APP_CENTRAL_URL 中填写 postgresql://用户@主机:端口/库。</source>
            <translation>Tickets are saved on this computer. Set “Central database connection” in the settings (central_url in settings.ini) or the AGENT_APP_CENTRAL_URL environment variable to postgresql://user@host:port/database.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="132" />
            <source>同步：无法启动</source>
            <translation>Sync: cannot start</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="137" />
            <source>上次同步 {time}</source>
            <translation>Last sync {time}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="137" />
            <source>尚未同步</source>
            <translation>Not synced yet</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="141" />
            <source>同步中…</source>
            <translation>Syncing…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="143" />
            <source>同步：连接中…</source>
            <translation>Sync: connecting…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="145" />
            <source>同步：在线</source>
            <translation>Sync: online</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="147" />
            <source>同步：离线</source>
            <translation>Sync: offline</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="148" />
            <source>点击立即同步。</source>
            <translation>Click to sync now.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="150" />
            <source>中心库暂时连不上：工单已保存在本机，恢复后自动上传。</source>
            <translation>The central database cannot be reached: tickets are saved on this computer and upload automatically when it is back.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="153" />
            <source>本次有 {n} 处冲突，待班长处理。</source>
            <translation>{n} conflicts in this sync, waiting for the shift lead.</translation>
        </message>
    </context>
    <context>
        <name>TicketForm</name>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="140" />
            <location filename="../../agent_app/ui/ticket_form.py" line="360" />
            <source>空闲：Ctrl+N 新来电</source>
            <translation>Idle: Ctrl+N for a new call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="141" />
            <source>来电号码，如 13812345678 或 010-65123456</source>
            <translation>Caller number, e.g. 13812345678 or 010-65123456</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="143" />
            <location filename="../../agent_app/ui/ticket_form.py" line="517" />
            <location filename="../../agent_app/ui/ticket_form.py" line="536" />
            <source>显示号码</source>
            <translation>Show number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="144" />
            <source>显示完整号码（记入审计日志）</source>
            <translation>Show the full number (recorded in the audit log)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="146" />
            <source>其他联系电话（可不填）</source>
            <translation>Other contact number (optional)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="147" />
            <source>来电人姓名（可不填）</source>
            <translation>Caller name (optional)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="148" />
            <source>保密</source>
            <translation>Confidential</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="149" />
            <source>企业诉求</source>
            <translation>Business</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="156" />
            <location filename="../../agent_app/ui/ticket_form.py" line="607" />
            <source>（请选择）</source>
            <translation>(choose)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="167" />
            <source>事发地址：区、街道/乡镇、小区或路名、门牌</source>
            <translation>Location: district, street/township, estate or road, number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="169" />
            <location filename="../../agent_app/ui/ticket_form.py" line="358" />
            <source>属地：—</source>
            <translation>Jurisdiction: —</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="171" />
            <source>诉求内容：时间、地点、事项、诉求</source>
            <translation>Request: when, where, what happened, what the caller wants</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="175" />
            <source>回车：采纳首选的分类和类型建议并跳到下一个待填项；Shift+回车：换行</source>
            <translation>Enter: accept the top category and type suggestions and go to the next empty field; Shift+Enter: new line</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="179" />
            <source>备注 / 答复内容（通话转写、知识库答复可插入此处）</source>
            <translation>Notes / answer (insert the transcript or a knowledge-base answer here)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="184" />
            <location filename="../../agent_app/ui/ticket_form.py" line="628" />
            <source>补充信息</source>
            <translation>More details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="188" />
            <source>来电人</source>
            <translation>Caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="194" />
            <source>电话</source>
            <translation>Phone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="199" />
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="202" />
            <source>渠道</source>
            <translation>Channel</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="204" />
            <source>其他电话</source>
            <translation>Other phone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="206" />
            <source>诉求</source>
            <translation>Request</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="211" />
            <source>紧急程度</source>
            <translation>Urgency</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="213" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="214" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="215" />
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="217" />
            <source>内容</source>
            <translation>Details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="218" />
            <source>备注</source>
            <translation>Notes</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="376" />
            <source>受理中 {0:02d}:{1:02d} · 开始 {2} · 渠道 {3}</source>
            <translation>In call {0:02d}:{1:02d} · started {2} · channel {3}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="510" />
            <source>号码有效</source>
            <translation>Valid number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="541" />
            <source>隐藏号码</source>
            <translation>Hide number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="734" />
            <source>属地不确定：可能是 {0}，请补充</source>
            <translation>Jurisdiction uncertain: possibly {0}; please add details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="736" />
            <source>属地：未能确定，请补充区或街道名称</source>
            <translation>Jurisdiction: not found; add the district or street/township name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="740" />
            <source>（地图选定）</source>
            <translation> (picked on the map)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="742" />
            <source>属地：{0}{1}{2}</source>
            <translation>Jurisdiction: {0}{1}{2}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="876" />
            <source>补充信息（已按诉求内容预填，请核对）</source>
            <translation>More details (pre-filled from the request; please check)</translation>
        </message>
    </context>
    <context>
        <name>TileLayer</name>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="281" />
            <source>底图瓦片无法加载（{reason}）：区界和工单照常显示；请检查设置“地图瓦片地址”和瓦片服务器 {host}。</source>
            <translation>Base-map tiles cannot be loaded ({reason}): district boundaries and tickets are still shown; check “Map tile URL” in the settings and the tile server {host}.</translation>
        </message>
    </context>
    <context>
        <name>TranscriptStrip</name>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="243" />
            <source>&lt;b&gt;通话转写&lt;/b&gt;</source>
            <translation>&lt;b&gt;Call transcript&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="244" />
            <source>未开始</source>
            <translation>Not started</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="249" />
            <source>培训场景：按“开始”回放该场景的通话转写</source>
            <translation>Training scenario: press “Start” to replay its call transcript</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="254" />
            <source>开始</source>
            <translation>Start</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="255" />
            <source>开始转写</source>
            <translation>Start transcribing</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="256" />
            <source>暂停</source>
            <translation>Pause</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="259" />
            <source>停止</source>
            <translation>Stop</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="347" />
            <source>回放所选培训场景</source>
            <translation>Replay the selected training scenario</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="376" />
            <source>没有可用的音频来源</source>
            <translation>No audio source available</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="387" />
            <location filename="../../agent_app/ui/transcript_strip.py" line="414" />
            <source>正在转写…</source>
            <translation>Transcribing…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="403" />
            <source>培训场景回放中：{title}</source>
            <translation>Replaying training scenario: {title}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="410" />
            <source>已暂停</source>
            <translation>Paused</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="453" />
            <source>语音识别不可用：{message}</source>
            <translation>Speech recognition unavailable: {message}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="460" />
            <source>正在加载语音模型…</source>
            <translation>Loading the speech model…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="465" />
            <source>语音模型已就绪</source>
            <translation>Speech model ready</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="475" />
            <source>语音识别不可用</source>
            <translation>Speech recognition unavailable</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="476" />
            <source>已停止</source>
            <translation>Stopped</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="547" />
            <source>通话转写 — {title}</source>
            <translation>Call transcript — {title}</translation>
        </message>
    </context>
    <context>
        <name>self.window</name>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="110" />
            <source>已记录知识库反馈，班长会处理。</source>
            <translation>Knowledge-base feedback recorded; the shift lead will handle it.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="225" />
            <source>同步未启动：{error}</source>
            <translation>Sync not started: {error}</translation>
        </message>
    </context>
    <context>
        <name>strip</name>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="547" />
            <source>通话转写 — {title}</source>
            <translation>Call transcript — {title}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="554" />
            <source>正在转写…</source>
            <translation>Transcribing…</translation>
        </message>
    </context>
    <context>
        <name>window</name>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="341" />
            <source>本席位未设置席位号：请在 settings.ini 的 [options] 中填写 seat（每个席位唯一）后重启；工单先保存在本机。</source>
            <translation>This seat has no seat ID: set seat under [options] in settings.ini (unique to each seat) and restart; tickets are kept on this computer meanwhile.</translation>
        </message>
    </context>
    <context>
        <name>panes</name>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="98" />
            <source>正在准备知识库索引…</source>
            <translation>Preparing the knowledge-base index…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="144" />
            <source>知识库暂不可用：{error}</source>
            <translation>Knowledge base unavailable: {error}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="145" />
            <source>知识库索引无法建立（{kind}），详见日志；可删除数据目录中的 kb_index.sqlite3 后重启。</source>
            <translation>The knowledge-base index could not be built ({kind}); see the log. Deleting kb_index.sqlite3 in the data directory and restarting may help.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="160" />
            <source>知识库</source>
            <translation>Knowledge base</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="161" />
            <source>未找到知识库内容目录 {path}：请重新安装程序，或用环境变量 AGENT_APP_KB_DIR 指向知识库目录。</source>
            <translation>Knowledge-base content directory {path} not found: reinstall the app, or point the AGENT_APP_KB_DIR environment variable at the knowledge-base directory.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="186" />
            <source>地图</source>
            <translation>Map</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="216" />
            <source>未配置语音识别模型：请在设置“语音识别模型目录”（settings.ini 的 vosk_model）或环境变量 {env} 中填写 Vosk 中文模型目录（如 vosk-model-small-cn-0.22）。</source>
            <translation>No speech model configured: set “Speech model directory” in the settings (vosk_model in settings.ini) or the {env} environment variable to a Chinese Vosk model directory (e.g. vosk-model-small-cn-0.22).</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="224" />
            <source>语音识别模型目录 {path} 不存在或不是 Vosk 模型（需含 am/、conf/、graph/）：请重新解压模型，或改正设置“语音识别模型目录”/ 环境变量 {env}。</source>
            <translation>Speech model directory {path} does not exist or is not a Vosk model (it needs am/, conf/ and graph/): unpack the model again, or correct “Speech model directory” in the settings or the {env} environment variable.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="246" />
            <source>演示模式：按“开始”回放培训场景（未装语音模型）。</source>
            <translation>Demo mode: press “Start” to replay a training scenario (no speech model installed).</translation>
        </message>
    </context>
</TS>
