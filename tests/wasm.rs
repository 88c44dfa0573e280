//! The wasm binding (`tinyim::wasm::Core`) in a real browser:
//! `CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome -- --test wasm`.
//!
//! The live tests need a tinyim-server: `make test-js` runs this under
//! `node tests/js/with-server.js`, which starts one on loopback and passes its URL, app ID and
//! two tokens in at compile time (TINYIM_TEST_*, read with `option_env!`). Without them the
//! live tests return early and say so.
//!
//! The test drives `Core` the way js-shim/zim.js does: a browser WebSocket, the outputs of
//! `drain()` carried out in order, `tick()` when `timeout()` is due.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Date, Promise, Uint8Array};
use tinyim::wasm::Core;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

wasm_bindgen_test_configure!(run_in_browser);

const WS_URL: Option<&str> = option_env!("TINYIM_TEST_WS_URL");
const APP_ID: Option<&str> = option_env!("TINYIM_TEST_APP_ID");
const TOKEN_ALICE: Option<&str> = option_env!("TINYIM_TEST_TOKEN_ALICE");
const TOKEN_BOB: Option<&str> = option_env!("TINYIM_TEST_TOKEN_BOB");

async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

enum SockEvent {
    Open,
    Bytes(Vec<u8>),
    Closed(u16),
}

/// One client: a Core, its socket, and what it has reported.
struct Device {
    core: Core,
    ws: Option<WebSocket>,
    inbox: Rc<RefCell<VecDeque<SockEvent>>>,
    _closures: Vec<Box<dyn std::any::Any>>,
    /// `[3, op, code, ...]` outputs.
    completed: Vec<Array>,
    /// `[4, kind, ...]` outputs.
    events: Vec<Array>,
}

impl Device {
    fn new(url: &str, app_id: u32, seed: f64) -> Device {
        Device {
            core: Core::new(app_id, url.to_string(), seed),
            ws: None,
            inbox: Rc::new(RefCell::new(VecDeque::new())),
            _closures: Vec::new(),
            completed: Vec::new(),
            events: Vec::new(),
        }
    }

    fn connect(&mut self, url: &str) {
        let ws = WebSocket::new(url).unwrap();
        ws.set_binary_type(BinaryType::Arraybuffer);
        let q = self.inbox.clone();
        let on_open =
            Closure::<dyn FnMut()>::new(move || q.borrow_mut().push_back(SockEvent::Open));
        let q = self.inbox.clone();
        let on_msg = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Ok(buf) = e.data().dyn_into::<js_sys::ArrayBuffer>() {
                q.borrow_mut()
                    .push_back(SockEvent::Bytes(Uint8Array::new(&buf).to_vec()));
            }
        });
        let q = self.inbox.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            q.borrow_mut().push_back(SockEvent::Closed(e.code()));
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_msg.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self._closures.push(Box::new(on_open));
        self._closures.push(Box::new(on_msg));
        self._closures.push(Box::new(on_close));
        self.inbox.borrow_mut().clear();
        self.ws = Some(ws);
    }

    /// Carries out every output, feeds every socket event and a due timer; one round.
    fn step(&mut self) {
        loop {
            let now = Date::now();
            let outs = self.core.drain();
            let mut did = outs.length() > 0;
            for o in outs.iter() {
                let a: Array = o.dyn_into().unwrap();
                match a.get(0).as_f64().unwrap() as u32 {
                    0 => self.connect(&a.get(1).as_string().unwrap()),
                    1 => {
                        let bytes: Uint8Array = a.get(1).dyn_into().unwrap();
                        if let Some(ws) = &self.ws {
                            let _ = ws.send_with_u8_array(&bytes.to_vec());
                        }
                    }
                    2 => {
                        if let Some(ws) = self.ws.take() {
                            ws.set_onclose(None);
                            let _ = ws.close();
                        }
                    }
                    3 => self.completed.push(a),
                    4 => self.events.push(a),
                    k => panic!("unknown output kind {k}"),
                }
            }
            let next = self.inbox.borrow_mut().pop_front();
            did |= next.is_some();
            match next {
                Some(SockEvent::Open) => self.core.opened(now),
                Some(SockEvent::Bytes(b)) => self.core.received(now, &b),
                Some(SockEvent::Closed(code)) => {
                    self.ws = None;
                    self.core.closed(now, code)
                }
                None => {}
            }
            let due = self.core.timeout();
            if due >= 0.0 && due <= now {
                self.core.tick(now);
                did = true;
            }
            if !did {
                return;
            }
        }
    }

    fn result(&self, op: u32) -> Option<Array> {
        self.completed
            .iter()
            .find(|a| a.get(1).as_f64() == Some(op as f64))
            .cloned()
    }
}

/// Steps both devices until `done` says so (or 10 s pass).
async fn run_until(devices: &mut [&mut Device], mut done: impl FnMut(&[&mut Device]) -> bool) {
    let start = Date::now();
    loop {
        for d in devices.iter_mut() {
            d.step();
        }
        if done(devices) {
            return;
        }
        assert!(Date::now() - start < 10_000.0, "timed out");
        sleep(10).await;
    }
}

/// Property `key` of a JS object (a ZIM message object from the binding).
fn prop(o: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
fn invalid_user_id_is_rejected_by_the_core_with_zim_code() {
    let mut core = Core::new(1, "ws://127.0.0.1:9/ws".into(), 1.0);
    let op = core.login(Date::now(), "bad user".into(), "".into(), "t".into(), "");
    let outs = core.drain();
    let done = outs
        .iter()
        .map(|o| o.dyn_into::<Array>().unwrap())
        .find(|a| a.get(0).as_f64() == Some(3.0) && a.get(1).as_f64() == Some(op as f64))
        .expect("login completes at once");
    assert_eq!(done.get(2).as_f64(), Some(6_000_001.0));
    assert!(done.get(3).is_string());
}

#[wasm_bindgen_test]
fn login_asks_to_connect_to_the_server_url() {
    let mut core = Core::new(1, "ws://127.0.0.1:9/ws".into(), 2.0);
    core.login(
        Date::now(),
        "alice".into(),
        "Alice".into(),
        "token".into(),
        "",
    );
    let connect = core
        .drain()
        .iter()
        .map(|o| o.dyn_into::<Array>().unwrap())
        .find(|a| a.get(0).as_f64() == Some(0.0))
        .expect("a Connect output");
    assert_eq!(
        connect.get(1).as_string().as_deref(),
        Some("ws://127.0.0.1:9/ws")
    );
    assert!(core.timeout() > 0.0, "a login timeout is armed");
}

#[wasm_bindgen_test]
async fn login_and_peer_message_against_a_live_server() {
    let (Some(url), Some(app), Some(ta), Some(tb)) = (WS_URL, APP_ID, TOKEN_ALICE, TOKEN_BOB)
    else {
        wasm_bindgen_test::console_log!(
            "no TINYIM_TEST_* at compile time: live test skipped (run via tests/js/with-server.js)"
        );
        return;
    };
    let app_id: u32 = app.parse().unwrap();
    let mut alice = Device::new(url, app_id, 11.0);
    let mut bob = Device::new(url, app_id, 22.0);
    let la = alice
        .core
        .login(Date::now(), "alice".into(), "Alice".into(), ta.into(), "");
    let lb = bob
        .core
        .login(Date::now(), "bob".into(), "Bob".into(), tb.into(), "");
    run_until(&mut [&mut alice, &mut bob], |d| {
        d[0].result(la).is_some() && d[1].result(lb).is_some()
    })
    .await;
    for (d, op) in [(&alice, la), (&bob, lb)] {
        let r = d.result(op).unwrap();
        assert_eq!(r.get(2).as_f64(), Some(0.0), "login failed: {:?}", r.get(3));
        // connectionStateChanged ... Connected (2), Success (0)
        assert!(d.events.iter().any(|e| e.get(1).as_f64() == Some(0.0)
            && e.get(2).as_f64() == Some(2.0)
            && e.get(3).as_f64() == Some(0.0)));
    }

    let payload = "hello from wasm 你好".as_bytes().to_vec();
    let started: Array = alice
        .core
        .send(
            Date::now(),
            0,
            "bob".into(),
            1,
            1,
            Uint8Array::from(&payload[..]).into(),
            "".into(),
            false,
            0,
            "".into(),
        )
        .dyn_into()
        .unwrap();
    let op = started.get(0).as_f64().unwrap() as u32;
    assert!(
        started.get(1).is_string(),
        "the localMessageID comes at once"
    );
    run_until(&mut [&mut alice, &mut bob], |d| {
        d[0].result(op).is_some() && d[1].events.iter().any(|e| e.get(1).as_f64() == Some(2.0))
    })
    .await;

    // Reply 2 = Sent(message): [3, op, 0, 2, message]
    let sent = alice.result(op).unwrap();
    assert_eq!(
        sent.get(2).as_f64(),
        Some(0.0),
        "send failed: {:?}",
        sent.get(3)
    );
    assert_eq!(sent.get(3).as_f64(), Some(2.0));
    let m = sent.get(4);
    assert!(prop(&m, "messageID").is_string(), "messageID is a string");
    assert_eq!(prop(&m, "localMessageID"), started.get(1));
    assert_eq!(
        prop(&m, "conversationID").as_string().as_deref(),
        Some("bob")
    );
    assert_eq!(prop(&m, "direction").as_f64(), Some(0.0), "alice sent it");

    // Event 2 = PeerMessages: [4, 2, fromUserID, messages, offline]
    let ev = bob
        .events
        .iter()
        .find(|e| e.get(1).as_f64() == Some(2.0))
        .unwrap();
    assert_eq!(ev.get(2).as_string().as_deref(), Some("alice"));
    let list: Array = ev.get(3).dyn_into().unwrap();
    assert_eq!(list.length(), 1);
    let msg = list.get(0);
    assert_eq!(
        prop(&msg, "senderUserID").as_string().as_deref(),
        Some("alice")
    );
    assert_eq!(
        prop(&msg, "message").as_string().as_deref(),
        Some("hello from wasm 你好"),
        "a text message's payload is a string"
    );
    assert_eq!(
        prop(&msg, "direction").as_f64(),
        Some(1.0),
        "bob received it"
    );
    assert_eq!(
        prop(&msg, "messageID").as_string(),
        prop(&m, "messageID").as_string(),
        "same messageID"
    );

    // Logout: Done, then the core closes the socket.
    let lo = alice.core.logout(Date::now());
    run_until(&mut [&mut alice], |d| d[0].result(lo).is_some()).await;
    assert_eq!(alice.result(lo).unwrap().get(2).as_f64(), Some(0.0));
}
